package io.metalforge.boot.http.internal;

import java.io.IOException;
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
 * The answers of one connection, one after another: {@link #prepare} works out an answer (status, headers, the body's
 * source) and {@link #writeSome} sends it without blocking, as much as the socket takes, so an event loop can carry on
 * when the socket is full. The image blob a connection last read stays open for its next requests (a client reading an
 * image in ranges costs no open and close per request), on a channel of this connection alone: a channel shared by all
 * connections serialises them on its position lock, which {@code transferTo} takes for an {@code fstat} on every
 * call.
 */
final class BootHttpExchange implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    /**
     * Most bytes one sendfile call offers. A non-blocking call sends only what the socket's buffer takes, which
     * already bounds how long one connection keeps its loop; a 1 MiB range that fits goes in one call (each call
     * also costs an {@code fstat} inside {@code transferTo}).
     */
    private static final long STEP = 4 * 1024 * 1024;

    /** Most bytes of a response head this server writes (status line and a handful of headers). */
    private static final int HEAD_BUFFER = 1024;

    /**
     * File bodies go corked ({@link TcpCork}: the head alone, then sendfile, then the cork cleared), as nginx sends
     * them. Where the cork cannot be set, the response head goes out together with the body's first
     * {@value #FIRST_BODY} bytes, read into the same buffer, before sendfile takes the rest. That size is measured,
     * not derived: on loopback under 200 wrk connections (docs/BENCHMARKS.md, serving section) a 32 KiB first slice
     * halved the client's CPU per 1 MiB range against a 16 KiB one (head included) and against 24, 40, 48 and
     * 64 KiB, whether the range starts on a page or not.
     */
    static final int FIRST_BODY = 32 * 1024;

    /** The buffer of the first write: a head of up to {@link #HEAD_BUFFER} bytes and the first slice. */
    private static final int FIRST_WRITE = HEAD_BUFFER + FIRST_BODY;

    private final BootFiles files;
    private final RequestRecorder recorder;
    /** The response head, encoded here for every request of the connection (no per-request buffer). */
    private final ByteBuffer head = ByteBuffer.allocateDirect(FIRST_WRITE);
    private final StringBuilder text = new StringBuilder(HEAD_BUFFER);
    private final SocketChannel ch;
    private final String client;
    private final String local;
    /** The buffer of a body copied from a channel that is not a local file (allocated on first use). */
    private ByteBuffer buffer;
    /** The image blob this connection read last, and its open channel (null: none). */
    private String blobSha;
    private FileChannel blob;
    /** The ETag and Last-Modified texts of the file last answered, kept for the next request for it. */
    private String etagSha;
    private String etag;
    private Instant modifiedAt;
    private String modifiedText;

    /** The prepared answer: bytes to write first (a head, perhaps with the body's first bytes), then a body. */
    private ByteBuffer out;
    private FileChannel body;
    private long bodyPos;
    private long bodyEnd;
    /** Whether the prepared answer is sent corked (head and file body leave in full segments), and is now. */
    private boolean corkBody;
    private boolean corked;
    private ReadableByteChannel copy;
    private long copyLeft;
    private boolean keepAlive;
    /** The request log entry written once the answer is sent (path null: none). */
    private String logPath;
    private int logStatus;
    private long logBytes;

    BootHttpExchange(BootFiles files, RequestRecorder recorder, SocketChannel ch, String client, String local) {
        this.files = files;
        this.recorder = recorder;
        this.ch = ch;
        this.client = client;
        this.local = local;
        this.out = head;
        head.flip();
    }

    /**
     * Prepares the answer to {@code head} (not a {@code /MAAS/} request): after this, {@link #writeSome} sends it.
     * Resolving touches the boot service: image paths are a lookup and a stat, anything else may render a config.
     */
    void prepare(RequestHead head) throws IOException {
        reset();
        String rawPath = head.rawPath();
        Optional<String> decoded = PathDecoder.decode(rawPath);
        if (decoded.isEmpty() || !rawPath.startsWith("/")) {
            simple(400, "bad request path", head.keepAlive(), head);
            logAs(rawPath, 400);
            return;
        }
        boolean get = head.method.equals("GET");
        if (!get && !head.method.equals("HEAD")) {
            simple(405, "only GET and HEAD are served here", false, head);
            logAs(decoded.get(), 405);
            return;
        }
        if (head.header("Content-Length") != null || head.header("Transfer-Encoding") != null) {
            simple(400, "a GET or HEAD request has no body", false, head);
            return;
        }
        String path = decoded.get();
        Optional<BootFile> file = files.resolve(path, BootProtocol.HTTP, client, local);
        if (file.isEmpty()) {
            simple(404, "not found", head.keepAlive(), head);
            logAs(path, 404);
            return;
        }
        keepAlive = head.keepAlive();
        send(head, path, file.get(), get);
    }

    /** Prepares a refusal of a request that could not be read; the connection closes after it. */
    void refuse(RequestHead.BadRequest e) throws IOException {
        reset();
        simple(e.status, e.getMessage(), false, null);
    }

    /** Prepares a short answer of the server itself (e.g. 502). */
    void answer(int status, String message, RequestHead head, String path) throws IOException {
        reset();
        simple(status, message, false, head);
        logAs(path, status);
    }

    /** Whether the connection stays open for the next request once the prepared answer is sent. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the prepared body is copied from a channel that may block (not a local file): a worker sends it. */
    boolean blockingBody() {
        return copy != null;
    }

    /**
     * Writes as much of the prepared answer as the socket takes now without waiting; true when all is sent (and the
     * request logged). File bodies go with non-blocking sendfile, at most {@link #STEP} bytes a call.
     */
    boolean writeSome() throws IOException {
        if (corkBody && !corked) {
            corked = TcpCork.set(ch, true);
            corkBody = corked; // not set: this answer goes uncorked, without asking again at every write
        }
        while (out.hasRemaining()) {
            if (ch.write(out) == 0) {
                return false;
            }
        }
        if (body != null) {
            while (bodyPos < bodyEnd) {
                long n = body.transferTo(bodyPos, Math.min(STEP, bodyEnd - bodyPos), ch);
                if (n <= 0) {
                    if (bodyPos >= body.size()) {
                        throw new IOException("file shrank while being sent");
                    }
                    return false;
                }
                bodyPos += n;
            }
            body = null;
            if (corked) {
                corked = false; // the body is all queued: clearing the cork sends its last partial segment
                if (!TcpCork.set(ch, false)) {
                    throw new IOException("cannot clear TCP_CORK");
                }
            }
        }
        if (copy != null) {
            while (true) {
                if (!buffer.hasRemaining()) {
                    if (copyLeft == 0) {
                        break;
                    }
                    buffer.clear();
                    if (copyLeft < buffer.capacity()) {
                        buffer.limit((int) copyLeft);
                    }
                    int r = copy.read(buffer);
                    if (r < 0) {
                        throw new IOException("content ended early");
                    }
                    buffer.flip();
                    copyLeft -= r;
                }
                if (ch.write(buffer) == 0) {
                    return false;
                }
            }
            closeCopy();
        }
        if (logPath != null) {
            log(logPath, logStatus, logBytes);
            logPath = null;
        }
        return true;
    }

    private void reset() {
        closeCopy();
        body = null;
        corkBody = false;
        keepAlive = false;
        logPath = null;
        logBytes = 0;
        out = head;
        out.clear().flip();
    }

    private void logAs(String path, int status) {
        logPath = path;
        logStatus = status;
        logBytes = 0;
    }

    private void closeCopy() {
        if (copy != null) {
            HttpBootServer.closeQuietly(copy);
            copy = null;
        }
    }

    /** Prepares the file (or its range). */
    private void send(RequestHead head, String path, BootFile file, boolean withBody) throws IOException {
        long size = file.size();
        String etag = etag(file.sha256());
        String modified = lastModified(file.lastModified());
        StringBuilder h = text;
        h.setLength(0);
        if (etag != null && etag.equals(head.header("If-None-Match"))) {
            h.append("HTTP/1.1 304 Not Modified\r\n");
            common(h, head.keepAlive(), etag, modified);
            h.append("\r\n");
            write(h);
            logAs(path, 304);
            return;
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
            logAs(path, 416);
            return;
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
        logAs(path, status);
        if (withBody && length > 0) {
            body(file, h, first, length);
            logBytes = length;
        } else {
            write(h);
        }
    }

    /** Prepares the head {@code h} and the body: {@code length} bytes from {@code first}. */
    private void body(BootFile file, StringBuilder h, long first, long length) throws IOException {
        Optional<String> sha = file.sha256();
        FileChannel fc = sha.isPresent() ? blob(sha.get(), file) : null;
        if (fc != null) {
            headAndTransfer(h, fc, first, length);
            return;
        }
        ReadableByteChannel source = file.open(first);
        if (source instanceof FileChannel local) {
            // a file of its own (a bootloader): kept as the connection's blob until its next request needs another
            closeBlob();
            blob = local;
            headAndTransfer(h, local, first, length);
            return;
        }
        write(h);
        copy = source;
        copyLeft = length;
        if (buffer == null) {
            buffer = ByteBuffer.allocate(BUFFER);
        }
        buffer.clear().flip();
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
            HttpBootServer.closeQuietly(blob);
            blob = null;
            blobSha = null;
        }
    }

    /** Releases what the connection kept open. */
    @Override
    public void close() {
        closeBlob();
        closeCopy();
    }

    /**
     * Prepares the head with the body's first {@link #FIRST_BODY} bytes (a positional read from the page cache; fewer
     * when the head is long or the body short), then the rest for sendfile.
     */
    private void headAndTransfer(StringBuilder h, FileChannel fc, long first, long length) throws IOException {
        if (h.length() > head.capacity()) {
            write(h);
            body = fc;
            bodyPos = first;
            bodyEnd = first + length;
            return;
        }
        ByteBuffer b = encode(h);
        // corked, the head goes alone and sendfile sends the whole body behind it; else with the first slice
        corkBody = TcpCork.inUse();
        int slice = corkBody ? 0 : FIRST_BODY;
        b.limit((int) Math.min(b.capacity(), b.position() + Math.min(slice, length)));
        long pos = first;
        while (b.hasRemaining()) {
            int r = fc.read(b, pos);
            if (r < 0) {
                throw new IOException("file shrank while being sent");
            }
            pos += r;
        }
        b.flip();
        out = b;
        if (pos < first + length) {
            body = fc;
            bodyPos = pos;
            bodyEnd = first + length;
        }
    }

    /** The quoted ETag of {@code sha256} (null: none), made once for the connection's run of requests for one blob. */
    private String etag(Optional<String> sha256) {
        if (sha256.isEmpty()) {
            return null;
        }
        String sha = sha256.get();
        if (!sha.equals(etagSha)) {
            etag = "\"" + sha + "\"";
            etagSha = sha;
        }
        return etag;
    }

    /** The Last-Modified value of {@code t} (null: none), formatted once while the connection reads one file. */
    private String lastModified(Optional<Instant> t) {
        if (t.isEmpty()) {
            return null;
        }
        Instant second = t.get().truncatedTo(ChronoUnit.SECONDS);
        if (!second.equals(modifiedAt)) {
            modifiedText = HttpBootServer.date(second);
            modifiedAt = second;
        }
        return modifiedText;
    }

    private static void common(StringBuilder h, boolean keepAlive, String etag, String modified) {
        h.append("Date: ").append(HttpBootServer.dateNow()).append("\r\n");
        h.append("Server: metalforge-boot\r\n");
        if (etag != null) {
            h.append("ETag: ").append(etag).append("\r\n");
        }
        if (modified != null) {
            h.append("Last-Modified: ").append(modified).append("\r\n");
        }
        if (!keepAlive) {
            h.append("Connection: close\r\n");
        }
    }

    /** Prepares a short text answer (head and body together). */
    private void simple(int status, String message, boolean keepAlive, RequestHead head) {
        this.keepAlive = keepAlive;
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = text;
        h.setLength(0);
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").append(bytes.length).append("\r\n");
        common(h, keepAlive, null, null);
        h.append("\r\n");
        if (head == null || !head.method.equals("HEAD")) {
            h.append(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        write(h);
    }

    /** Prepares {@code h} as the whole answer's bytes. */
    private void write(StringBuilder h) {
        if (h.length() <= head.capacity()) {
            out = encode(h);
            out.flip();
        } else {
            out = ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.ISO_8859_1));
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

    void log(String path, int status, long bytes) {
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
