package io.metalforge.boot.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

import io.metalforge.api.boot.BootFile;

/** A bootloader file from the operator's folder. */
final class LocalFile implements BootFile {

    private final Path file;
    private final long size;
    private final Instant modified;

    LocalFile(Path file, long size, Instant modified) {
        this.file = file;
        this.size = size;
        this.modified = modified;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Optional<String> sha256() {
        return Optional.empty();
    }

    @Override
    public Optional<Instant> lastModified() {
        return Optional.of(modified);
    }

    @Override
    public ReadableByteChannel open(long offset) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return channel;
    }
}
