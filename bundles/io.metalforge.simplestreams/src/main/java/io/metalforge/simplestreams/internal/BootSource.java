package io.metalforge.simplestreams.internal;

import java.nio.file.Path;

import io.metalforge.api.source.SignaturePolicy;

/**
 * A boot source (MAAS BootSource): a stream URL, its keyring and its priority (higher wins).
 */
record BootSource(long id, String name, String url, int priority, boolean enabled, String keyringFilename,
        byte[] keyringData, boolean skipKeyringVerification, String created, String updated) {

    BootSource {
        keyringFilename = keyringFilename == null ? "" : keyringFilename;
        keyringData = keyringData == null ? new byte[0] : keyringData;
    }

    SignaturePolicy signaturePolicy() {
        if (skipKeyringVerification) {
            return SignaturePolicy.skip();
        }
        if (keyringData.length > 0) {
            return SignaturePolicy.keyringData(keyringData);
        }
        return new SignaturePolicy(true, keyringFilename.isEmpty() ? null : Path.of(keyringFilename), null);
    }
}
