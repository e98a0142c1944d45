package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.metalforge.api.boot.BootFile;
import io.metalforge.api.boot.BootFiles;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequestRecord;

/**
 * The requests of one connection, answered one after another. The image blob a connection last read stays open for
 * its next requests (a client reading an image in ranges costs no open and close per request), on a channel of this
 * connection alone: a channel shared by all connections serialises them on its position lock, which
 * {@code transferTo} takes for an {@code fstat} on every call, and a holder preempted on a busy machine stalls
 * every other request of that image for tens of milliseconds.
 */
final class BootHttpExchange implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    /**
     * Most bytes one sendfile call sends: the reaper sees a body's progress at least this often (512 KiB take 4 s at
     * 1 Mbit/s, well within the idle timeout), while a 1 MiB range costs two calls.
     */
    private static final long STEP = 512 * 1024;

    /** Most bytes of a response head this server writes (status line and a handful of headers). */
    private static final int HEAD_BUFFER = 1024;

    /**
     * The response head goes out together with the first bytes of the body, read into the same buffer: one segment
     * instead of a short head segment (which wakes the client for a few hundred bytes) followed by the body. Java has
     * no {@code TCP_CORK} or {@code MSG_MORE}, with which nginx does the same.
     */
    private static final int FIRST_WRITE = 16 * 1024;

    private final BootFiles files;
    private final ApiForwarder forwarder;
    private final RequestRecorder recorder;
    /** The response head, encoded here for every request of the connection (no per-request buffer). */
    private final ByteBuffer head = ByteBuffer.allocateDirect(FIRST_WRITE);
    private final StringBuilder text = new StringBuilder(HEAD_BUFFER);
    private final SocketChannel ch;
    private final InputStream in;
    private final WatchedInput watch;
    private final String client;
    private final String local;
    private ByteBuffer buffer;
    /** The image blob this connection read last, and its open channel (null: none). */
    private String blobSha;
    private FileChannel blob;

    BootHttpExchange(BootFiles files, ApiForwarder forwarder, RequestRecorder recorder, SocketChannel ch,
            InputStream in, WatchedInput watch, String client, String local) {
        this.files = files;
        this.forwarder = forwarder;
        this.recorder = recorder;
        this.ch = ch;
        this.in = in;
        this.watch = watch;
        this.client = client;
        this.local = local;
    }

    /** Answers the next request; false when the connection is to be closed. */
    boolean next() throws IOException {
        RequestHead head;
        try {
            head = RequestHead.read(in);
        } catch (RequestHead.BadRequest e) {
            simple(e.status, e.getMessage(), false, null);
            return false;
        }
        if (head == null) {
            return false;
        }
        String rawPath = head.rawPath();
        if (rawPath.equals("/MAAS") || rawPath.startsWith("/MAAS/")) {
            ApiForwarder.Relayed r;
            try {
                r = forwarder.forward(head, in, HttpBootServer.output(ch), client);
            } catch (RequestHead.BadRequest e) {
                simple(e.status, e.getMessage(), false, null);
                return false;
            } catch (java.net.ConnectException e) {
                simple(502, "the MAAS API is not reachable from the boot server", false, head);
                return false;
            }
            log(rawPath, r.status(), r.bytes());
            return false;
        }
        Optional<String> decoded = PathDecoder.decode(rawPath);
        if (decoded.isEmpty() || !rawPath.startsWith("/")) {
            simple(400, "bad request path", head.keepAlive(), head);
            log(rawPath, 400, 0);
            return head.keepAlive();
        }
        boolean get = head.method.equals("GET");
        if (!get && !head.method.equals("HEAD")) {
            simple(405, "only GET and HEAD are served here", false, head);
            log(decoded.get(), 405, 0);
            return false;
        }
        if (head.header("Content-Length") != null || head.header("Transfer-Encoding") != null) {
            simple(400, "a GET or HEAD request has no body", false, head);
            return false;
        }
        String path = decoded.get();
        Optional<BootFile> file = files.resolve(path, BootProtocol.HTTP, client, local);
        if (file.isEmpty()) {
            simple(404, "not found", head.keepAlive(), head);
            log(path, 404, 0);
            return head.keepAlive();
        }
        long sent = send(head, path, file.get(), get);
        return head.keepAlive() && sent >= 0;
    }

    /** Sends the file (or its range); returns the body bytes sent. */
    private long send(RequestHead head, String path, BootFile file, boolean withBody) throws IOException {
        long size = file.size();
        String etag = file.sha256().map(s -> "\"" + s + "\"").orElse(null);
        Optional<Instant> modified = file.lastModified().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        StringBuilder h = text;
        h.setLength(0);
        if (etag != null && etag.equals(head.header("If-None-Match"))) {
            h.append("HTTP/1.1 304 Not Modified\r\n");
            common(h, head.keepAlive(), etag, modified);
            h.append("\r\n");
            write(h);
            log(path, 304, 0);
            return 0;
        }
        ByteRange.Parsed parsed = ByteRange.parse(head.header("Range"), size);
        String ifRange = head.header("If-Range");
        if (ifRange != null && (etag == null || !etag.equals(ifRange))) {
            parsed = new ByteRange.Parsed(Optional.empty(), false); // the client's copy changed: send it all
        }
        if (parsed.unsatisfiable()) {
            h.append("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */").append(size).append("\r\n");
            h.append("Content-Length: 0\r\n");
            common(h, head.keepAlive(), etag, modified);
            h.append("\r\n");
            write(h);
            log(path, 416, 0);
            return 0;
        }
        long first = 0;
        long length = size;
        int status = 200;
        if (parsed.range().isPresent()) {
            ByteRange r = parsed.range().get();
            first = r.first();
            length = r.length();
            status = 206;
            h.append("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes ").append(r.first()).append('-')
                    .append(r.last()).append('/').append(size).append("\r\n");
        } else {
            h.append("HTTP/1.1 200 OK\r\n");
        }
        h.append("Content-Length: ").append(length).append("\r\n");
        h.append("Accept-Ranges: bytes\r\n");
        h.append("Content-Type: ").append(file.sha256().isPresent() || file.lastModified().isPresent()
                ? "application/octet-stream" : "text/plain; charset=utf-8").append("\r\n");
        common(h, head.keepAlive(), etag, modified);
        h.append("\r\n");
        long sent = 0;
        if (withBody && length > 0) {
            sent = body(file, h, first, length);
        } else {
            write(h);
        }
        log(path, status, sent);
        return sent;
    }

    /** Sends the head {@code h} and the body: {@code length} bytes from {@code first}. */
    private long body(BootFile file, StringBuilder h, long first, long length) throws IOException {
        Optional<String> sha = file.sha256();
        FileChannel fc = sha.isPresent() ? blob(sha.get(), file) : null;
        if (fc != null) {
            return headAndTransfer(h, fc, first, length);
        }
        try (ReadableByteChannel source = file.open(first)) {
            if (source instanceof FileChannel local) {
                return headAndTransfer(h, local, first, length);
            }
            write(h);
            if (buffer == null) {
                buffer = ByteBuffer.allocate(BUFFER);
            }
            long left = length;
            while (left > 0) {
                buffer.clear();
                if (left < buffer.capacity()) {
                    buffer.limit((int) left);
                }
                int r = source.read(buffer);
                if (r < 0) {
                    throw new IOException("content ended early");
                }
                buffer.flip();
                writeAll(buffer);
                left -= r;
            }
            return length;
        }
    }

    /**
     * The open channel of image blob {@code sha256}, kept for the connection's next requests; null when the store
     * keeps no local file for it (then the body is copied).
     */
    private FileChannel blob(String sha256, BootFile file) throws IOException {
        if (blob != null && sha256.equals(blobSha) && blob.isOpen()) {
            return blob;
        }
        closeBlob();
        ReadableByteChannel c = file.open(0);
        if (c instanceof FileChannel fc) {
            blob = fc;
            blobSha = sha256;
            return fc;
        }
        c.close();
        return null;
    }

    private void closeBlob() {
        if (blob != null) {
            try {
                blob.close();
            } catch (IOException e) {
                // nothing more to release
            }
            blob = null;
            blobSha = null;
        }
    }

    /** Releases what the connection kept open. */
    @Override
    public void close() {
        closeBlob();
    }

    /**
     * Writes the head with as many first bytes of the body as fit in the head buffer (a positional read from the page
     * cache), then sends the rest with sendfile.
     */
    private long headAndTransfer(StringBuilder h, FileChannel fc, long first, long length) throws IOException {
        if (h.length() > head.capacity()) {
            write(h);
            return transfer(fc, first, length);
        }
        ByteBuffer b = encode(h);
        b.limit((int) Math.min(b.capacity(), b.position() + length));
        long pos = first;
        while (b.hasRemaining()) {
            int r = fc.read(b, pos);
            if (r < 0) {
                throw new IOException("file shrank while being sent");
            }
            pos += r;
        }
        b.flip();
        writeAll(b);
        if (pos < first + length) {
            transfer(fc, pos, first + length - pos);
        }
        return length;
    }

    /**
     * sendfile from {@code first} for {@code length} bytes, in steps of at most {@link #STEP} bytes, each watched as a
     * wait for the client: one that takes nothing for the idle timeout is disconnected by the reaper.
     */
    private long transfer(FileChannel fc, long first, long length) throws IOException {
        long pos = first;
        long end = first + length;
        while (pos < end) {
            long n;
            watch.beginWait();
            try {
                n = fc.transferTo(pos, Math.min(STEP, end - pos), ch);
            } finally {
                watch.endWait();
            }
            if (n <= 0) {
                if (pos >= fc.size()) {
                    throw new IOException("file shrank while being sent");
                }
                continue;
            }
            pos += n;
        }
        return length;
    }

    private static void common(StringBuilder h, boolean keepAlive, String etag, Optional<Instant> modified) {
        h.append("Date: ").append(HttpBootServer.dateNow()).append("\r\n");
        h.append("Server: metalforge-boot\r\n");
        if (etag != null) {
            h.append("ETag: ").append(etag).append("\r\n");
        }
        modified.ifPresent(t -> h.append("Last-Modified: ").append(HttpBootServer.date(t)).append("\r\n"));
        if (!keepAlive) {
            h.append("Connection: close\r\n");
        }
    }

    private void simple(int status, String message, boolean keepAlive, RequestHead head) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = text;
        h.setLength(0);
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").append(body.length).append("\r\n");
        common(h, keepAlive, null, Optional.empty());
        h.append("\r\n");
        write(h);
        if (head == null || !head.method.equals("HEAD")) {
            OutputStream out = HttpBootServer.output(ch);
            out.write(body);
        }
    }

    private void write(StringBuilder h) throws IOException {
        ByteBuffer b;
        if (h.length() <= head.capacity()) {
            b = encode(h);
            b.flip();
        } else {
            b = ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        writeAll(b);
    }

    /** Writes all of {@code b}, watched as a wait for the client (see {@link #transfer}). */
    private void writeAll(ByteBuffer b) throws IOException {
        watch.beginWait();
        try {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } finally {
            watch.endWait();
        }
    }

    /** The head buffer holding {@code h} (which fits), positioned after it. */
    private ByteBuffer encode(StringBuilder h) {
        ByteBuffer b = head;
        b.clear();
        for (int i = 0; i < h.length(); i++) {
            b.put((byte) h.charAt(i)); // a response head is ASCII (Latin-1 at most)
        }
        return b;
    }

    private void log(String path, int status, long bytes) {
        recorder.record(new BootRequestRecord(Instant.now(), BootProtocol.HTTP, client, "", path, status, bytes));
    }

    private static String reason(int status) {
        return switch (status) {
        case 400 -> "Bad Request";
        case 404 -> "Not Found";
        case 405 -> "Method Not Allowed";
        case 431 -> "Request Header Fields Too Large";
        case 502 -> "Bad Gateway";
        default -> "Error";
        };
    }
}
