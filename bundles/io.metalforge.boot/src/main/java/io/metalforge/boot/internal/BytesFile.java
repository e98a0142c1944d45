package io.metalforge.boot.internal;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.Optional;

import io.metalforge.api.boot.BootFile;

/** A rendered config (or the empty answer to a *.lst request), held in memory: these are a few KiB at most. */
final class BytesFile implements BootFile {

    private final byte[] content;

    BytesFile(byte[] content) {
        this.content = content;
    }

    @Override
    public long size() {
        return content.length;
    }

    @Override
    public Optional<String> sha256() {
        return Optional.empty();
    }

    @Override
    public Optional<Instant> lastModified() {
        return Optional.empty();
    }

    @Override
    public ReadableByteChannel open(long offset) {
        int from = (int) Math.min(Math.max(0, offset), content.length);
        return Channels.newChannel(new ByteArrayInputStream(content, from, content.length - from));
    }
}
