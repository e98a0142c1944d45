package io.metalforge.api.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link BlobStore} that also keeps partial uploads, so a client can continue after a dropped connection or a
 * platform restart, and that collects blobs nobody references any more.
 *
 * <h2>Partial uploads</h2>
 * A partial is named by the caller's upload id (a catalog file id, for instance); its length is the number of bytes
 * that arrived, also after a restart. {@link #appendPartial} never lets a partial grow past its declared size and
 * checks that the rest of the declared size fits before taking bytes. {@link #completePartial} verifies size and sha256 and only then makes the
 * blob visible under its sha256; a mismatch discards the partial.
 *
 * <h2>Garbage collection</h2>
 * {@link #collectGarbage} deletes blobs the predicate does not claim, except those pinned with {@link #pin} (in-flight
 * uploads and syncs) and those younger than the grace period (written while the caller was computing its set of
 * references).
 */
@ConsumerType
public interface ResumableBlobStore extends BlobStore {

    /** Bytes that arrived so far for this upload id; 0 when there is no partial. */
    long partialLength(String uploadId) throws IOException;

    /**
     * Appends exactly {@code length} bytes from {@code chunk} to the partial of {@code uploadId}.
     *
     * @param declaredSize the size the finished blob must have
     * @return the partial's new length
     * @throws BlobVerificationException when the chunk would pass {@code declaredSize} (the partial is discarded) or
     *             the stream ends early (the partial keeps its previous length)
     * @throws InsufficientSpaceException when the rest of the declared size does not fit (the partial keeps its
     *             previous length)
     */
    long appendPartial(String uploadId, long declaredSize, InputStream chunk, long length) throws IOException;

    /**
     * Verifies the finished partial against {@code sha256} and {@code size}, makes it durable and visible as a blob,
     * and removes the partial. When the blob is already stored the partial is simply removed.
     *
     * @throws BlobVerificationException on a size or sha256 mismatch; the partial is discarded
     */
    void completePartial(String uploadId, String sha256, long size) throws IOException;

    /** Removes a partial; false when there was none. */
    boolean discardPartial(String uploadId) throws IOException;

    /**
     * Keeps a blob from garbage collection until the returned handle is closed (held by uploads and syncs that will
     * reference it once they commit). Pins count: a blob stays pinned while any handle is open.
     */
    Pin pin(String sha256);

    /**
     * Deletes every stored blob for which {@code referenced} is false, unless it is pinned or younger than
     * {@code grace}.
     *
     * @return the sha256 values deleted
     */
    java.util.List<String> collectGarbage(Predicate<String> referenced, Duration grace) throws IOException;

    /** A pin on a blob; closing it twice is harmless. */
    interface Pin extends AutoCloseable {
        @Override
        void close();
    }
}
