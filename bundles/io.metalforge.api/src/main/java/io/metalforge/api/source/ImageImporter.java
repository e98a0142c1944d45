package io.metalforge.api.source;

import java.util.Map;

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
}
