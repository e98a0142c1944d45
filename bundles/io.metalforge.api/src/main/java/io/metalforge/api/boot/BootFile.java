package io.metalforge.api.boot;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** A file the boot servers send: a rendered config, a bootloader, or image bytes from the blob store. */
@ProviderType
public interface BootFile {

    /** Length in bytes. */
    long size();

    /** The sha256 when the bytes come from the content-addressed store (served as the HTTP ETag). */
    Optional<String> sha256();

    /** When the content last changed, if known. */
    Optional<Instant> lastModified();

    /**
     * Reads the content from {@code offset}. A {@link java.nio.channels.FileChannel} (positioned at 0; the reader
     * uses absolute positions) when the bytes are a local file, so servers may use {@code transferTo}; the caller
     * closes it.
     */
    ReadableByteChannel open(long offset) throws IOException;
}
