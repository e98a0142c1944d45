package io.metalforge.boot.internal;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.Optional;

import io.metalforge.api.boot.BootFile;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.FileChannelBlobStore;

/** Image bytes in the blob store: a file channel (for sendfile) when the store keeps local files. */
final class StoredFile implements BootFile {

    private final BlobStore store;
    private final String sha256;
    private final long size;
    private final Instant modified;

    StoredFile(BlobStore store, String sha256, long size, Instant modified) {
        this.store = store;
        this.sha256 = sha256;
        this.size = size;
        this.modified = modified;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Optional<String> sha256() {
        return Optional.of(sha256);
    }

    @Override
    public Optional<Instant> lastModified() {
        return Optional.ofNullable(modified);
    }

    @Override
    public ReadableByteChannel open(long offset) throws IOException {
        if (store instanceof FileChannelBlobStore files) {
            FileChannel channel = files.channel(sha256);
            channel.position(offset);
            return channel;
        }
        return Channels.newChannel(store.open(sha256, offset));
    }
}
