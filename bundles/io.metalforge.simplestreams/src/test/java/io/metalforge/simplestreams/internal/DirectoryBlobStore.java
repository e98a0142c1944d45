package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import io.metalforge.api.store.BlobVerificationException;
import io.metalforge.api.store.FileAdoptingBlobStore;

/**
 * A minimal content-addressed directory store for the tests and the benchmark (the platform's filesystem store is
 * its own bundle); it keeps the BlobStore contract the sync relies on: verified, then visible by rename.
 */
final class DirectoryBlobStore implements FileAdoptingBlobStore {

    final Path dir;

    DirectoryBlobStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public String name() {
        return "test-dir";
    }

    @Override
    public boolean contains(String sha256) {
        return Files.isRegularFile(dir.resolve(sha256));
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        Path p = dir.resolve(sha256);
        return Files.exists(p) ? Optional.of(Files.size(p)) : Optional.empty();
    }

    @Override
    public void write(String sha256, long size, InputStream content) throws IOException {
        if (contains(sha256)) {
            return;
        }
        Path tmp = Files.createTempFile(dir, ".in-", ".tmp");
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(content, md)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(tmp) != size || !HexFormat.of().formatHex(md.digest()).equals(sha256)) {
                throw new BlobVerificationException("size or sha256 mismatch for " + sha256);
            }
            Files.move(tmp, dir.resolve(sha256), StandardCopyOption.ATOMIC_MOVE);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void adopt(String sha256, long size, Path file) throws IOException {
        if (Files.size(file) != size) {
            throw new BlobVerificationException("size mismatch for " + sha256);
        }
        Files.move(file, dir.resolve(sha256), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        InputStream in = Files.newInputStream(dir.resolve(sha256));
        in.skipNBytes(offset);
        return in;
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        return Files.deleteIfExists(dir.resolve(sha256));
    }
}
