package io.metalforge.inspect.internal;

import java.io.IOException;
import java.io.InputStream;

/** Stops a decompression bomb: caps the decompressed bytes and, past a grace amount, the compression ratio. */
final class DecompressionGuard extends CountingInputStream {

    private final CountingInputStream compressed;
    private final Limits limits;

    DecompressionGuard(InputStream decompressed, CountingInputStream compressed, Limits limits) {
        super(decompressed);
        this.compressed = compressed;
        this.limits = limits;
    }

    @Override
    void counted(long n) throws IOException {
        super.counted(n);
        long out = count();
        if (out > limits.maxDecompressedBytes()) {
            throw new LimitExceededException(
                    "decompressed content exceeds the limit of " + limits.maxDecompressedBytes() + " bytes");
        }
        if (out > Limits.RATIO_GRACE && out / Math.max(1, compressed.count()) > limits.maxRatio()) {
            throw new LimitExceededException("compression ratio above " + limits.maxRatio()
                    + ":1 (decompression bomb): " + out + " bytes from " + compressed.count());
        }
    }
}
