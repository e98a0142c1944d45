package io.metalforge.api.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Keeps image bytes, addressed by their sha256 (lower-case hex). A bundle adds a backend by registering an
 * implementation with {@link #PROPERTY_NAME} set to {@link #name()}.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>Content addressed: one stored object per sha256, whoever wrote it (uploads and synced images share).</li>
 * <li>{@link #write} streams with bounded memory, checks the declared size and sha256, makes the bytes durable and
 * only then makes the blob visible; on any failure nothing partial is visible under that sha256.</li>
 * <li>Before accepting bytes a backend checks it has room for {@code size} and fails with
 * {@link InsufficientSpaceException} otherwise.</li>
 * <li>Concurrent writes of the same sha256 are safe: all succeed and one object remains.</li>
 * <li>{@link #open} supports ranged reads from an offset for serving and resuming.</li>
 * <li>Thread-safe.</li>
 * </ul>
 */
@ConsumerType
public interface BlobStore {

    /** Service property that carries {@link #name()}. */
    String PROPERTY_NAME = "metalforge.store.backend";

    /** Backend name, e.g. "fs". */
    String name();

    /** Whether a complete blob with this sha256 is stored. */
    boolean contains(String sha256) throws IOException;

    /** Size of a stored blob, if present. */
    Optional<Long> size(String sha256) throws IOException;

    /**
     * Stores exactly {@code size} bytes read from {@code content} whose sha256 must be {@code sha256}.
     * Returns at once if the blob is already stored (without reading {@code content}).
     *
     * @throws BlobVerificationException when the size or digest differ
     * @throws InsufficientSpaceException when the backend has no room
     */
    void write(String sha256, long size, InputStream content) throws IOException;

    /** Reads a stored blob from {@code offset} (0 for all of it). */
    InputStream open(String sha256, long offset) throws IOException;

    /** Removes a blob; false when it was not stored. */
    boolean delete(String sha256) throws IOException;
}
