package io.metalforge.api.store;

import java.io.IOException;
import java.nio.channels.FileChannel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A blob store whose blobs are local files, so a server can hand their bytes to the kernel ({@code sendfile}) instead
 * of copying them through the heap. Callers check {@code instanceof} and fall back to {@link BlobStore#open}.
 *
 * @since 1.2
 */
@ConsumerType
public interface FileChannelBlobStore extends BlobStore {

    /**
     * A read-only channel on the stored blob; the caller closes it.
     *
     * @throws java.nio.file.NoSuchFileException when no blob with this sha256 is stored
     */
    FileChannel channel(String sha256) throws IOException;
}
