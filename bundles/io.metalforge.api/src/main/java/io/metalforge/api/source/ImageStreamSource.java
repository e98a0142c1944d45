package io.metalforge.api.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads an image catalogue (for example a SimpleStreams mirror) and opens the content of its items. A bundle adds
 * a source type by registering an implementation with {@link #PROPERTY_TYPE} set to {@link #type()}.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #supports(URI)} is cheap and decides by scheme and shape of the URL alone.</li>
 * <li>{@link #openItem} streams; callers verify size and sha256 themselves and close the stream.</li>
 * <li>A source that verifies signatures fails the whole read when a signature is bad and returns nothing.</li>
 * <li>Thread-safe; several syncs may read different sources at once.</li>
 * </ul>
 */
@ConsumerType
public interface ImageStreamSource {

    /** Service property that carries {@link #type()}. */
    String PROPERTY_TYPE = "metalforge.source.type";

    /** Source type, e.g. "simplestreams". */
    String type();

    /** Whether this source can read the catalogue at {@code url}. */
    boolean supports(URI url);

    /**
     * Opens the content of an item located by {@code path} relative to the source's mirror root, starting at byte
     * {@code offset} (for resuming a partial download).
     */
    InputStream openItem(URI mirrorRoot, String path, long offset) throws IOException;

    /**
     * Reads the catalogue at {@code url} (an index, or a mirror root whose default index is used), checking every
     * file it reads against {@code policy}. Fails as a whole: either every product list is read and verified or
     * nothing is returned.
     *
     * @throws StreamSourceException with a message naming the file and the reason
     * @since 1.1
     */
    default StreamCatalogue readCatalogue(URI url, SignaturePolicy policy) throws IOException {
        throw new UnsupportedOperationException(type() + " sources do not read catalogues");
    }
}
