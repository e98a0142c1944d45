package io.metalforge.simplestreams.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

import io.metalforge.api.source.SignaturePolicy;
import io.metalforge.api.source.StreamSourceException;

/**
 * Verifies clear-signed ({@code .sjson}) and detached-signed ({@code .json} + {@code .json.gpg}) stream files
 * against a keyring, as gpgv would, with Bouncy Castle (lightweight API, no JCA provider to register).
 */
final class OpenPgpVerifier {

    private static final String BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    private static final int MAX_KEYRING = 16 << 20;

    private final PGPPublicKeyRingCollection keys;

    private OpenPgpVerifier(PGPPublicKeyRingCollection keys) {
        this.keys = keys;
    }

    /** Loads the keyring of a policy: data wins over the file; binary or armored. */
    static OpenPgpVerifier forPolicy(SignaturePolicy policy) throws StreamSourceException {
        return of(keyringBytes(policy));
    }

    /** A verifier with the keys of these keyring bytes (binary or armored). */
    static OpenPgpVerifier of(byte[] keyring) throws StreamSourceException {
        return new OpenPgpVerifier(readKeyring(keyring));
    }

    /**
     * The keyring bytes of a policy: its data, else its file, else (a well-known system keyring this host lacks) the
     * copy shipped in the bundle.
     */
    static byte[] keyringBytes(SignaturePolicy policy) throws StreamSourceException {
        byte[] data = policy.keyringData();
        if (data != null && data.length > 0) {
            return data;
        }
        Path file = policy.keyringFile();
        if (file == null) {
            throw new StreamSourceException("'keyring_file' cannot be None if pgp verification is enabled.");
        }
        if (!Files.isRegularFile(file)) {
            return ShippedKeyrings.standIn(file).orElseThrow(
                    () -> new StreamSourceException("Keyring file " + file + " does not exist."));
        }
        try {
            if (Files.size(file) > MAX_KEYRING) {
                throw new StreamSourceException("Keyring file " + file + " is larger than 16 MiB.");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StreamSourceException("Cannot read keyring file " + file + ": " + e.getMessage(), e);
        }
    }

    static PGPPublicKeyRingCollection readKeyring(byte[] data) throws StreamSourceException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            PGPPublicKeyRingCollection c = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            if (c.size() == 0) {
                throw new StreamSourceException("The keyring holds no public keys.");
            }
            return c;
        } catch (IOException | PGPException | RuntimeException e) {
            throw new StreamSourceException("The keyring is not an OpenPGP public keyring: " + e.getMessage(), e);
        }
    }

    /** Checks a clear-signed message and returns its text (dash-unescaped), to be parsed as JSON. */
    byte[] verifyClearSigned(String url, byte[] message) throws StreamSourceException {
        String text = new String(message, StandardCharsets.UTF_8);
        List<String> lines = splitLines(text);
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        if (i >= lines.size() || !lines.get(i).strip().equals(BEGIN_SIGNED)) {
            throw new StreamSourceException("Signature verification of '" + url + "' failed: not a clear-signed "
                    + "OpenPGP message");
        }
        i++;
        while (i < lines.size() && !lines.get(i).isEmpty()) { // armor headers ("Hash: SHA512")
            i++;
        }
        i++;
        List<String> clear = new ArrayList<>();
        while (i < lines.size() && !lines.get(i).equals(BEGIN_SIGNATURE)) {
            String line = lines.get(i);
            clear.add(line.startsWith("- ") ? line.substring(2) : line);
            i++;
        }
        if (i >= lines.size()) {
            throw new StreamSourceException("Signature verification of '" + url + "' failed: no signature block");
        }
        StringBuilder armored = new StringBuilder();
        for (; i < lines.size(); i++) {
            armored.append(lines.get(i)).append('\n');
            if (lines.get(i).startsWith("-----END PGP SIGNATURE-----")) {
                break;
            }
        }
        PGPSignatureList signatures = signatures(url, armored.toString().getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream signedText = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int n = 0; n < clear.size(); n++) {
            // RFC 4880 §7.1: trailing spaces and tabs are not signed; lines end in CR LF, the last has none
            byte[] line = stripTrailingWhitespace(clear.get(n)).getBytes(StandardCharsets.UTF_8);
            signedText.writeBytes(line);
            body.writeBytes(clear.get(n).getBytes(StandardCharsets.UTF_8));
            if (n < clear.size() - 1) {
                signedText.writeBytes(new byte[] {'\r', '\n'});
            }
            body.write('\n');
        }
        check(url, signatures, signedText.toByteArray(), true);
        return body.toByteArray();
    }

    /** Checks a detached signature (binary or armored) over {@code content}. */
    void verifyDetached(String url, byte[] content, byte[] signature) throws StreamSourceException {
        check(url, signatures(url, signature), content, false);
    }

    private PGPSignatureList signatures(String url, byte[] signature) throws StreamSourceException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            Object o = new BcPGPObjectFactory(in).nextObject();
            if (o instanceof PGPSignatureList list && !list.isEmpty()) {
                return list;
            }
            throw new StreamSourceException("Signature verification of '" + url + "' failed: no OpenPGP signature");
        } catch (IOException | RuntimeException e) {
            throw new StreamSourceException("Signature verification of '" + url + "' failed: unreadable signature ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Checks {@code signed} against the first signature by a key of the keyring. {@code canonicalText}: the bytes are
     * already the canonical text a text signature covers (a clear-signed message's lines as above), so they are
     * hashed as they are (see {@link DirectFeed}); otherwise a text signature's bytes are made canonical by Bouncy
     * Castle (a detached signature made with gpg --textmode).
     */
    private void check(String url, PGPSignatureList signatures, byte[] signed, boolean canonicalText)
            throws StreamSourceException {
        String unknown = null;
        for (PGPSignature sig : signatures) {
            PGPPublicKey key = keys.getPublicKey(sig.getKeyID());
            if (key == null) {
                unknown = String.format("%016X", sig.getKeyID());
                continue;
            }
            try {
                if (canonicalText && sig.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT) {
                    DirectFeed feed = new DirectFeed();
                    sig.init(feed, key);
                    feed.write(signed);
                } else {
                    sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                    sig.update(signed);
                }
                if (sig.verify()) {
                    return;
                }
            } catch (PGPException | RuntimeException e) {
                throw new StreamSourceException("Signature verification of '" + url + "' failed: " + e.getMessage(), e);
            }
            throw new StreamSourceException("Signature verification of '" + url + "' failed: BAD signature from key "
                    + String.format("%016X", sig.getKeyID()) + " (content was altered or the signature is broken)");
        }
        throw new StreamSourceException("Signature verification of '" + url + "' failed: signed by key " + unknown
                + ", which is not in the keyring");
    }

    /**
     * Bouncy Castle's verifiers, keeping the one a signature is initialised with so that text already in canonical
     * form is hashed in one write. {@link PGPSignature#update} takes a text signature's bytes one at a time, each CR
     * or LF made a CR LF, through four calls into Bouncy Castle's SHA-256: on a 135 KB product list that was most of
     * a fresh JVM's signature check. It also made a CR inside a clear-signed line a line end, which gpg does not (gpg
     * splits a clear-signed text on LF only): such a text, which gpgv verifies, failed here before. Only the feeding
     * changes: the prefix the signature puts before the data at initialisation, the trailer it adds in
     * {@link PGPSignature#verify()} and the check itself stay Bouncy Castle's.
     */
    private static final class DirectFeed implements PGPContentVerifierBuilderProvider {
        private final BcPGPContentVerifierBuilderProvider bc = new BcPGPContentVerifierBuilderProvider();
        private PGPContentVerifier verifier;

        @Override
        public PGPContentVerifierBuilder get(int keyAlgorithm, int hashAlgorithm) throws PGPException {
            PGPContentVerifierBuilder builder = bc.get(keyAlgorithm, hashAlgorithm);
            return key -> verifier = builder.build(key);
        }

        /** The bytes, into the digest the signature's own updates go to (the same signer behind every stream). */
        void write(byte[] data) throws PGPException {
            if (verifier == null) {
                throw new PGPException("no verifier was built for the signature");
            }
            try {
                verifier.getOutputStream().write(data); // not closed: the signature closes its own after the trailer
            } catch (IOException e) {
                throw new PGPException("cannot hash the signed text: " + e.getMessage(), e);
            }
        }
    }

    private static String stripTrailingWhitespace(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Splits on LF, dropping a CR before it. */
    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (nl < 0) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
                break;
            }
            lines.add(line);
            start = nl + 1;
        }
        return lines;
    }
}
