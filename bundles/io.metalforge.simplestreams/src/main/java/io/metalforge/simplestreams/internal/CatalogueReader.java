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
 */
final class CatalogueReader {

    private final HttpFetcher fetcher;

    CatalogueReader(HttpFetcher fetcher) {
        this.fetcher = fetcher;
    }

    StreamCatalogue read(String url, SignaturePolicy policy) throws StreamSourceException {
        IndexLocation location = IndexLocation.of(url);
        OpenPgpVerifier verifier = policy.verify() ? OpenPgpVerifier.forPolicy(policy) : null;
        byte[] indexJson = fetchVerified(location.index(), verifier);
        StreamJson.Index index = StreamJson.parseIndex(location.index().toString(), indexJson);
        List<StreamProduct> products = new ArrayList<>();
        for (StreamJson.IndexEntry entry : index.entries()) {
            if (!entry.format().isEmpty() && !entry.format().equals("products:1.0")) {
                continue; // other formats are not product lists
            }
            URI list = MirrorPaths.resolve(location.mirrorRoot(), entry.path());
            products.addAll(StreamJson.parseProducts(list.toString(), fetchVerified(list, verifier)));
        }
        return new StreamCatalogue(location.index(), location.mirrorRoot(), index.updated(), products);
    }

    private byte[] fetchVerified(URI uri, OpenPgpVerifier verifier) throws StreamSourceException {
        byte[] body = fetch(uri);
        String path = uri.getPath() == null ? uri.toString() : uri.getPath();
        boolean clearSigned = path.endsWith(".sjson");
        if (verifier == null) {
            return clearSigned ? stripClearSignature(uri, body) : body;
        }
        if (clearSigned) {
            return verifier.verifyClearSigned(uri.toString(), body);
        }
        // An unsigned .json verifies only through its detached signature: without one it fails, as in MAAS.
        URI sig = URI.create(uri + ".gpg");
        byte[] signature;
        try {
            signature = fetcher.fetchSmall(sig);
        } catch (IOException e) {
            throw new StreamSourceException("Signature verification of '" + uri + "' failed: no detached signature "
                    + sig + " (" + e.getMessage() + "); set skip_keyring_verification for unsigned streams", e);
        }
        verifier.verifyDetached(uri.toString(), body, signature);
        return body;
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
