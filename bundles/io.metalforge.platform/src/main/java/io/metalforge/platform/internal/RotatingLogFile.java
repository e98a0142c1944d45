package io.metalforge.platform.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An append-only text log rotated by size: when {@code metalforge.log} would pass the limit it becomes
 * {@code metalforge.log.1} (the older ones move up to {@code .keep}, the oldest is dropped) and a new file starts.
 * The current file always has the same name, so {@code tail -F} and {@code metalforge:log} follow it.
 */
final class RotatingLogFile implements AutoCloseable {

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    RotatingLogFile(Path file, long maxBytes, int keep) throws IOException {
        this.file = file;
        this.maxBytes = Math.max(1024, maxBytes);
        this.keep = Math.max(1, keep);
        Files.createDirectories(file.getParent());
        open();
    }

    Path file() {
        return file;
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    /** Appends the text (one or more whole lines), rotating first when it would not fit. */
    synchronized void append(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(numbered(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    /** The last {@code lines} lines of the current file (at most the last 4 MiB of it are read). */
    synchronized List<String> tail(int lines) throws IOException {
        Deque<String> last = new ArrayDeque<>();
        long skip = Math.max(0, Files.size(file) - (4L << 20));
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            reader.skip(skip);
            String line;
            while ((line = reader.readLine()) != null) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
        }
        return new ArrayList<>(last);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
