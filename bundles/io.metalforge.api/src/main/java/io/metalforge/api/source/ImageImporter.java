package io.metalforge.api.source;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Imports images from the boot sources (MAAS {@code boot-resources op=import / stop_import / is_importing}).
 *
 * @since 1.1
 */
@ProviderType
public interface ImageImporter {

    /** Starts an import unless one is running; true when this call started one. */
    boolean startImport();

    /** Asks a running import to stop; partial downloads are kept and resumed next time. False when none ran. */
    boolean stopImport();

    /** Whether an import is running. */
    boolean isImporting();

    /**
     * Progress of the running or last import, JSON-ready: {@code bytes_done}, {@code bytes_total}, {@code progress}
     * (percent), {@code rate_bytes_per_second}, {@code eta_seconds} (-1 when unknown) and {@code files}, a list of
     * the same per file with {@code filename}, {@code sha256} and {@code state}.
     */
    Map<String, Object> progress();

    /**
     * The set of a synced resource that the running import is downloading, JSON-ready in the MAAS resource form:
     * {@code version}, {@code label}, {@code size}, {@code complete} (always false), {@code progress} (percent) and
     * {@code files} by filename, each with {@code filename}, {@code filetype}, {@code sha256}, {@code size},
     * {@code complete} and, while incomplete, {@code progress}. Empty when no import is downloading a set of it.
     * The set is not in the catalog and not usable until all its files are verified.
     *
     * @since 1.2
     */
    default Optional<Map<String, Object>> syncingSet(String name, String architecture) {
        return Optional.empty();
    }
}
