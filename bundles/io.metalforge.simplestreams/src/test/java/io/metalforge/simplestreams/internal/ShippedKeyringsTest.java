package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.source.SignaturePolicy;
import io.metalforge.api.source.StreamSourceException;

/**
 * The Ubuntu cloud-image key shipped as the default source's keyring: exactly the published fingerprint, a
 * public key only, and used when the system keyring file is absent.
 */
class ShippedKeyringsTest {

    /** "UEC Image Automatic Signing Key", as Ubuntu publishes its fingerprint for verifying cloud images. */
    private static final String UEC_FINGERPRINT = "D2EB44626FDDC30B513D5BB71A5D6C4C7DB87C81";

    @TempDir
    Path dir;

    @Test
    void theShippedKeyringHoldsExactlyThePublishedKey() throws Exception {
        byte[] shipped = ShippedKeyrings.standIn(Path.of(BootSources.DEFAULT_KEYRING)).orElseThrow();
        String text = new String(shipped, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"), "armored public key block");
        assertTrue(!text.contains("PRIVATE KEY"), "no secret key material");

        PGPPublicKeyRingCollection keyring = OpenPgpVerifier.readKeyring(shipped);
        List<String> fingerprints = new ArrayList<>();
        for (PGPPublicKeyRing ring : keyring) {
            PGPPublicKey primary = ring.getPublicKey();
            fingerprints.add(HexFormat.of().formatHex(primary.getFingerprint()).toUpperCase(Locale.ROOT));
            List<String> ids = new ArrayList<>();
            primary.getUserIDs().forEachRemaining(ids::add);
            assertEquals(List.of("UEC Image Automatic Signing Key <cdimage@ubuntu.com>"), ids);
            assertEquals(4096, primary.getBitStrength());
        }
        assertEquals(List.of(UEC_FINGERPRINT), fingerprints);
    }

    @Test
    void theDefaultSourceVerifiesWithoutTheSystemKeyringFile() throws Exception {
        // whether or not this host has Ubuntu's keyring package, the default keyring path yields a verifier
        assertNotNull(OpenPgpVerifier.forPolicy(SignaturePolicy.keyringFile(Path.of(BootSources.DEFAULT_KEYRING))));
        // any other missing keyring file is still an error naming it
        Path missing = dir.resolve("no-such-keyring.gpg");
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> OpenPgpVerifier.forPolicy(SignaturePolicy.keyringFile(missing)));
        assertEquals("Keyring file " + missing + " does not exist.", e.getMessage());
    }
}
