package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.metalforge.api.source.SignaturePolicy;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.source.StreamProduct;
import io.metalforge.api.source.StreamSourceException;

/**
 * Reads a whole catalogue: the index, then every product list it names, each verified by the source's signature
 * policy (clear-signed {@code .sjson}, or {@code .json} with a detached {@code .json.gpg}). All or nothing.
 * <p>
 * Every document is fetched at every read; one whose bytes (and keyring) are those of a read before is not verified
 * and parsed again (see {@link VerifiedDocuments}).
 */
final class CatalogueReader {

    /** Parses a verified document's JSON. */
    private interface Parser<T> {
        T parse(String url, byte[] json) throws StreamSourceException;
    }

    private final HttpFetcher fetcher;
    private final VerifiedDocuments known;

    CatalogueReader(HttpFetcher fetcher) {
        this(fetcher, new VerifiedDocuments());
    }

    CatalogueReader(HttpFetcher fetcher, VerifiedDocuments known) {
        this.fetcher = fetcher;
        this.known = known;
    }

    StreamCatalogue read(String url, SignaturePolicy policy) throws StreamSourceException {
        IndexLocation location = IndexLocation.of(url);
        VerifiedDocuments.Keyring keyring = policy.verify() ? known.keyring(OpenPgpVerifier.keyringBytes(policy))
                : null;
        StreamJson.Index index = fetchVerified(location.index(), keyring, StreamJson::parseIndex);
        List<StreamProduct> products = new ArrayList<>();
        for (StreamJson.IndexEntry entry : index.entries()) {
            if (!entry.format().isEmpty() && !entry.format().equals("products:1.0")) {
                continue; // other formats are not product lists
            }
            URI list = MirrorPaths.resolve(location.mirrorRoot(), entry.path());
            products.addAll(fetchVerified(list, keyring, (u, json) -> List.copyOf(StreamJson.parseProducts(u, json))));
        }
        return new StreamCatalogue(location.index(), location.mirrorRoot(), index.updated(), products);
    }

    /** A document fetched, verified by the keyring (null: verification skipped) and parsed, or as it was before. */
    @SuppressWarnings("unchecked") // kept under this URL by this method only, with this parser's type
    private <T> T fetchVerified(URI uri, VerifiedDocuments.Keyring keyring, Parser<T> parser)
            throws StreamSourceException {
        byte[] body = fetch(uri);
        String path = uri.getPath() == null ? uri.toString() : uri.getPath();
        boolean clearSigned = path.endsWith(".sjson");
        // An unsigned .json verifies only through its detached signature: without one it fails, as in MAAS.
        byte[] signature = keyring == null || clearSigned ? new byte[0] : fetchSignature(uri);
        String url = uri.toString();
        String keyringId = keyring == null ? VerifiedDocuments.UNVERIFIED : keyring.id();
        String digest = VerifiedDocuments.sha256(body, signature);
        T parsed = (T) known.parsed(url, keyringId, digest);
        if (parsed != null) {
            return parsed;
        }
        byte[] json;
        if (keyring == null) {
            json = clearSigned ? stripClearSignature(uri, body) : body;
        } else if (clearSigned) {
            json = keyring.verifier().verifyClearSigned(url, body);
        } else {
            keyring.verifier().verifyDetached(url, body, signature);
            json = body;
        }
        parsed = parser.parse(url, json);
        known.verified(url, keyringId, digest, parsed);
        return parsed;
    }

    private byte[] fetchSignature(URI uri) throws StreamSourceException {
        URI sig = URI.create(uri + ".gpg");
        try {
            return fetcher.fetchSmall(sig);
        } catch (IOException e) {
            throw new StreamSourceException("Signature verification of '" + uri + "' failed: no detached signature "
                    + sig + " (" + e.getMessage() + "); set skip_keyring_verification for unsigned streams", e);
        }
    }

    private byte[] fetch(URI uri) throws StreamSourceException {
        try {
            return fetcher.fetchSmall(uri);
        } catch (StreamSourceException e) {
            throw e;
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new StreamSourceException(m.startsWith("Request to") ? m : "Request to '" + uri + "' failed: " + m, e);
        }
    }

    /** Without verification the JSON is taken from the first "{" to the signature header (spec §1.4). */
    private static byte[] stripClearSignature(URI uri, byte[] body) throws StreamSourceException {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        int start = text.indexOf('{');
        int end = text.indexOf("-----BEGIN PGP SIGNATURE-----");
        if (start < 0) {
            throw new StreamSourceException("Request to '" + uri + "' failed: not a valid JSON file.");
        }
        return text.substring(start, end < start ? text.length() : end)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
