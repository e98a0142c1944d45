package io.metalforge.api.source;

import java.nio.file.Path;

/**
 * How a source checks OpenPGP signatures of the files it reads.
 *
 * @param verify          false skips verification (skip_keyring_verification)
 * @param keyringFile     a binary or armored keyring file, or null
 * @param keyringData     binary or armored keyring bytes, or null; wins over {@code keyringFile}
 */
public record SignaturePolicy(boolean verify, Path keyringFile, byte[] keyringData) {

    /** Verification off. */
    public static SignaturePolicy skip() {
        return new SignaturePolicy(false, null, null);
    }

    public static SignaturePolicy keyringFile(Path file) {
        return new SignaturePolicy(true, file, null);
    }

    public static SignaturePolicy keyringData(byte[] data) {
        return new SignaturePolicy(true, null, data.clone());
    }
}
