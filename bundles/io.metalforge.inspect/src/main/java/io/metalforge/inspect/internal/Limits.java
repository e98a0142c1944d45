package io.metalforge.inspect.internal;

/**
 * Bounds on what a client-supplied image can make the doctor do.
 *
 * @param maxEntries           tar entries
 * @param maxHeaderBytes       one entry's extended headers (PAX, GNU long names, sparse maps)
 * @param maxPathLength        characters in an entry path
 * @param maxPathDepth         components in an entry path
 * @param maxDecompressedBytes bytes produced by decompression
 * @param maxRatio             decompressed bytes per compressed byte, checked past {@link #RATIO_GRACE} bytes
 * @param xzMemoryLimitKiB     memory an xz stream may ask for (its dictionary)
 */
public record Limits(long maxEntries, int maxHeaderBytes, int maxPathLength, int maxPathDepth,
        long maxDecompressedBytes, long maxRatio, int xzMemoryLimitKiB) {

    /** Decompressed bytes before the ratio check starts (small files legitimately compress very well). */
    public static final long RATIO_GRACE = 256L << 20;

    public static final Limits DEFAULTS = new Limits(2_000_000, 1 << 20, 4096, 256, 256L << 30, 2000, 256 << 10);

    static Limits of(DoctorConfig config) {
        return new Limits(config.max__entries(), config.max__header__bytes(), config.max__path__length(), config.max__path__depth(),
                config.max__decompressed__bytes(), config.max__ratio(), config.xz__memory__limit__kib());
    }
}
