package io.metalforge.api.catalog;

import java.time.Instant;

/**
 * A version of a boot resource (MAAS {@code BootResourceSet}).
 *
 * @param id         database id
 * @param resourceId owning resource
 * @param version    "YYYYMMDD" or "YYYYMMDD.N" (uploads), or the stream's version name
 * @param label      "stable", "candidate", ... or "uploaded"
 * @param created    creation time
 */
public record BootResourceSet(long id, long resourceId, String version, String label, Instant created) {
}
