package io.metalforge.api.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A boot resource (MAAS {@code BootResource}).
 *
 * @param id             database id
 * @param type           synced or uploaded
 * @param name           "os/series" for synced images; a bare name or "os/name" for uploads
 * @param architecture   "arch/subarch"
 * @param alias          e.g. "ubuntu/22.04"; "" when none
 * @param baseImage      "os/series" of a custom image; "" otherwise
 * @param bootloaderType "uefi", "pxe", "open-firmware" or "" for non-bootloaders
 * @param kflavor        kernel flavour ("generic"), "" for uploads
 * @param rolling        hwe-rolling kernel
 * @param extra          subarches, title, platform, ...
 * @param lastDeployed   last deployment, or null
 * @param created        creation time
 * @param updated        last change
 */
public record BootResource(long id, ResourceType type, String name, String architecture, String alias,
        String baseImage, String bootloaderType, String kflavor, boolean rolling, Map<String, String> extra,
        Instant lastDeployed, Instant created, Instant updated) {

    public BootResource {
        extra = Map.copyOf(extra);
    }

    /** "amd64" of "amd64/generic". */
    public String arch() {
        int slash = architecture.indexOf('/');
        return slash < 0 ? architecture : architecture.substring(0, slash);
    }

    /** "generic" of "amd64/generic". */
    public String subarch() {
        int slash = architecture.indexOf('/');
        return slash < 0 ? "" : architecture.substring(slash + 1);
    }
}
