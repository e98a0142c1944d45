package io.metalforge.simplestreams.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.metalforge.api.source.StreamSourceException;

/**
 * The keyrings and stream documents a source has read, verified and parsed, so that an import does not verify and
 * parse again what has not changed since: the catalogue the selections were just checked against, or the one the
 * last scheduled import read (a mirror's index and product lists change a few times a day; imports run hourly).
 * <p>
 * Everything is keyed by content, never by time or by what a server says about it: a keyring by the SHA-256 of its
 * bytes, a document by its URL, the keyring that verified it and the SHA-256 of every byte fetched for it (the body
 * and a detached signature). The same bytes under the same keys verify and parse the same, so what is reused is what
 * a new verification would return; a changed byte or another keyring is verified afresh, and a document that failed
 * is never kept. Bounded: the least recently used entries go first.
 */
final class VerifiedDocuments {

    /** A mirror has an index and a few product lists; a handful of sources fit many times over. */
    static final int MAX_DOCUMENTS = 64;
    static final int MAX_KEYRINGS = 8;

    /** Verification was skipped: what the document is keyed under instead of a keyring. */
    static final String UNVERIFIED = "unverified";

    private record Document(String digest, Object parsed) {
    }

    private final Map<String, OpenPgpVerifier> verifiers = leastRecentlyUsed(MAX_KEYRINGS);
    private final Map<String, Document> documents = leastRecentlyUsed(MAX_DOCUMENTS);

    /** A verifier with the keys of this keyring, and the keyring's identity (the SHA-256 of its bytes). */
    record Keyring(String id, OpenPgpVerifier verifier) {
    }

    Keyring keyring(byte[] bytes) throws StreamSourceException {
        String id = sha256(bytes);
        OpenPgpVerifier known;
        synchronized (verifiers) {
            known = verifiers.get(id);
        }
        if (known == null) {
            known = OpenPgpVerifier.of(bytes); // outside the lock: a large keyring takes a while
            synchronized (verifiers) {
                verifiers.put(id, known);
            }
        }
        return new Keyring(id, known);
    }

    /** What this document parsed to when these same bytes were verified under this keyring; null if never. */
    Object parsed(String url, String keyringId, String digest) {
        synchronized (documents) {
            Document d = documents.get(url + '\n' + keyringId);
            return d != null && d.digest().equals(digest) ? d.parsed() : null;
        }
    }

    /** Keeps what a document verified and parsed to (immutable values only: they are handed out again). */
    void verified(String url, String keyringId, String digest, Object parsed) {
        synchronized (documents) {
            documents.put(url + '\n' + keyringId, new Document(digest, parsed));
        }
    }

    /** The SHA-256 of these byte arrays one after the other, each preceded by its length. */
    static String sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(java.nio.ByteBuffer.allocate(Integer.BYTES).putInt(p.length).array());
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static <V> Map<String, V> leastRecentlyUsed(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}
