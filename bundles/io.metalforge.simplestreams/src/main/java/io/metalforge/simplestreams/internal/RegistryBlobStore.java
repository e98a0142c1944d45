package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.BlobStoreRegistry;
import io.metalforge.api.store.FileAdoptingBlobStore;

/**
 * The configured blob store, looked up at each call so a backend that comes or goes is picked up; when it is
 * missing the import fails with "Blob store 'fs' is not installed" rather than hanging.
 */
final class RegistryBlobStore implements FileAdoptingBlobStore {

    private final BlobStoreRegistry registry;
    private final String backend;

    RegistryBlobStore(BlobStoreRegistry registry, String backend) {
        this.registry = registry;
        this.backend = backend;
    }

    private BlobStore store() throws IOException {
        try {
            return registry.require(backend);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return backend;
    }

    @Override
    public boolean contains(String sha256) throws IOException {
        return store().contains(sha256);
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        return store().size(sha256);
    }

    @Override
    public void write(String sha256, long size, InputStream content) throws IOException {
        store().write(sha256, size, content);
    }

    @Override
    public void adopt(String sha256, long size, Path file) throws IOException {
        BlobStore s = store();
        if (s instanceof FileAdoptingBlobStore a) {
            a.adopt(sha256, size, file);
        } else {
            try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                s.write(sha256, size, in);
            }
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        return store().open(sha256, offset);
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        return store().delete(sha256);
    }
}
