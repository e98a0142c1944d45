package io.metalforge.api.store;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A blob store that can take over a file already on local disk, typically by renaming it, so a downloader that
 * has verified a file does not copy the bytes a second time. Callers check {@code instanceof} and fall back to
 * {@link BlobStore#write}.
 *
 * @since 1.1
 */
@ConsumerType
public interface FileAdoptingBlobStore extends BlobStore {

    /**
     * Makes {@code file} the blob {@code sha256}. The caller has verified its size and digest; the store checks the
     * size again, makes it durable and only then visible. Afterwards {@code file} no longer exists. Returns at once
     * (deleting {@code file}) when the blob is already stored.
     *
     * @throws BlobVerificationException when the size differs; the file is left in place
     */
    void adopt(String sha256, long size, Path file) throws IOException;
}
