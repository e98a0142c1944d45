package io.metalforge.http.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.codec.CodecPolicy;
import org.apache.commons.codec.binary.Base64InputStream;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.io.IOUtils;
import org.apache.commons.io.input.BoundedInputStream;

import io.metalforge.api.http.ApiException;

/**
 * Streams a multipart/form-data body into a {@link Form}, in bounded memory, on commons-fileupload's streaming
 * {@link MultipartInput} (delimiter search and part bodies) with commons-codec's {@link Base64InputStream} for
 * base64 parts. It accepts what the maas CLI sends (Python's email package: a quoted boundary containing "=", base64
 * Content-Transfer-Encoding on every part wrapped at 76 columns, a per-part MIME-Version, no CRLF after the closing
 * boundary) as well as RFC 7578 bodies from Go and browsers (binary parts, no transfer encoding). Servlet multipart
 * APIs and fileupload's item iterator follow RFC 7578 and would hand the base64 text over undecoded, hence the part
 * headers are read here.
 */
final class MultipartParser {

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_PREAMBLE_BYTES = 64 * 1024;
    private static final byte[] LINE_BREAK = { '\r', '\n' };

    private final MultipartInput input;
    /** A delimiter without the line break before it: "--boundary". */
    private final byte[] bareDelimiter;
    private final FormLimits limits;
    private final Path spoolFolder;
    private final Gate gate;
    private final long spoolReserveBytes;
    private final byte[] copyBuffer = new byte[BUFFER];

    private MultipartParser(InputStream in, String boundary, FormLimits limits, Path spoolFolder, Gate gate,
            long spoolReserveBytes) throws IOException {
        // Every delimiter is CRLF "--boundary"; a virtual line break before the body lets the first one be found like
        // the others, and the preamble is read as a bounded part body.
        this.input = MultipartInput.builder()
                .setInputStream(new SequenceInputStream(new ByteArrayInputStream(LINE_BREAK), in))
                .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1)).setBufferSize(BUFFER).get();
        this.bareDelimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.limits = limits;
        this.spoolFolder = spoolFolder;
        this.gate = gate;
        this.spoolReserveBytes = spoolReserveBytes;
    }

    /** The boundary parameter of a multipart Content-Type, unquoted; null when absent. */
    static String boundary(String contentType) {
        Map<String, String> params = HeaderParameters.parse(contentType);
        String b = params.get("boundary");
        return b == null || b.isEmpty() || b.length() > 200 ? null : b;
    }

    /**
     * Decides, as the form arrives, whether the client may go on: called after each text field and before each file
     * part. Before authentication it may find form-carried OAuth parameters (and raise the body's limits) or refuse.
     */
    @FunctionalInterface
    interface Gate {
        Gate OPEN = (form, fileNext) -> {
        };

        void check(Form form, boolean fileNext) throws ApiException;
    }

    static Form parse(InputStream in, String contentType, FormLimits limits, Path spoolFolder)
            throws ApiException, IOException {
        return parse(in, contentType, limits, spoolFolder, Gate.OPEN, 0);
    }

    /**
     * Parses a form; {@code gate} is asked before every file part and after every field. File parts are spooled only
     * while {@code spoolReserveBytes} plus the part's largest size stay free on the spool's file system (else 507).
     */
    static Form parse(InputStream in, String contentType, FormLimits limits, Path spoolFolder, Gate gate,
            long spoolReserveBytes) throws ApiException, IOException {
        String boundary = boundary(contentType);
        if (boundary == null) {
            throw ApiException.badRequest("Malformed multipart form: no boundary in the Content-Type.");
        }
        Form form = new Form();
        try {
            new MultipartParser(in, boundary, limits, spoolFolder, gate, spoolReserveBytes).readInto(form);
            return form;
        } catch (ApiException | IOException | RuntimeException e) {
            form.close(); // no spooled file outlives a failed request
            throw e;
        }
    }

    private void readInto(Form form) throws ApiException, IOException {
        copyPart(OutputStream.nullOutputStream(), false, MAX_PREAMBLE_BYTES, "Form preamble"); // discarded, bounded
        boolean more = readBoundary();
        int parts = 0;
        while (more) {
            if (++parts > limits.maxParts()) {
                throw ApiException.badRequest("Too many form parts (at most " + limits.maxParts() + ").");
            }
            more = readPart(form);
        }
        // an epilogue, if any, is ignored
    }

    /** Reads one part and the delimiter after it; whether another part follows. */
    private boolean readPart(Form form) throws ApiException, IOException {
        Map<String, String> headers = readHeaders();
        if (headers.isEmpty()) {
            return skipPartWithoutHeaders();
        }
        Map<String, String> disposition = HeaderParameters.parse(headers.getOrDefault("content-disposition", ""));
        String name = disposition.get("name");
        if (name == null) {
            // Django skips a part without a name; its content is read (bounded) and dropped
            copyPart(OutputStream.nullOutputStream(), false, limits.maxFieldBytes(), "Form part without a name");
            return readBoundary();
        }
        String filename = disposition.get("filename");
        String encoding = headers.getOrDefault("content-transfer-encoding", "binary").strip().toLowerCase(Locale.ROOT);
        boolean base64 = switch (encoding) {
        case "base64" -> true;
        case "binary", "7bit", "8bit" -> false;
        default -> throw ApiException.badRequest("Unsupported Content-Transfer-Encoding '" + encoding
                + "' in form part '" + name + "'.");
        };
        String contentType = headers.getOrDefault("content-type", "text/plain");
        String what = "Form part '" + name + "'";
        if (filename == null) {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            copyPart(value, base64, limits.maxFieldBytes(), what);
            form.addField(name, value.toString(charset(contentType)));
            gate.check(form, false);
        } else {
            gate.check(form, true);
            SecretFiles.createPrivateDirectories(spoolFolder);
            if (spoolReserveBytes > 0
                    && Files.getFileStore(spoolFolder).getUsableSpace() < spoolReserveBytes + limits.maxFileBytes()) {
                throw FaultAnswers.diskFullAnswer();
            }
            Path file = Files.createTempFile(spoolFolder, "form-", ".part");
            Form.SpooledFile spooled;
            try (OutputStream out = Files.newOutputStream(file)) {
                long size = copyPart(out, base64, limits.maxFileBytes(), what);
                spooled = new Form.SpooledFile(name, filename, contentType, size, file);
            } catch (ApiException | IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            form.addFile(spooled);
        }
        return readBoundary();
    }

    /**
     * Copies the current part's body, decoded, to {@code sink}, up to the next delimiter; at most {@code max} decoded
     * bytes (else 413). The part's stream is never closed here: closing it would read on to the delimiter, however
     * far away that is.
     */
    private long copyPart(OutputStream sink, boolean base64, long max, String what)
            throws ApiException, IOException {
        InputStream part = input.newInputStream();
        InputStream decoded = base64
                ? new Base64InputStream(new Base64Alphabet(part), false, 0, LINE_BREAK, CodecPolicy.STRICT)
                : part;
        // one byte past the limit tells a part that is too large from one that just fits
        InputStream bounded = BoundedInputStream.builder().setInputStream(decoded)
                .setMaxCount(max == Long.MAX_VALUE ? max : max + 1).get();
        long copied;
        try {
            copied = IOUtils.copyLarge(bounded, sink, copyBuffer);
        } catch (Base64Alphabet.Invalid e) {
            throw invalidBase64(what);
        } catch (IllegalArgumentException e) {
            if (!base64) {
                throw e;
            }
            throw invalidBase64(what); // a final quantum that cannot be (codec's strict policy)
        } catch (MultipartInput.MalformedStreamException e) {
            throw malformed(e, "the body ends without a closing boundary");
        }
        if (copied > max) {
            throw new ApiException(413, what + " is larger than " + max + " bytes.");
        }
        return copied;
    }

    private static ApiException invalidBase64(String what) {
        return ApiException.badRequest("Invalid base64 in " + Character.toLowerCase(what.charAt(0)) + what.substring(1)
                + ".");
    }

    /** After a part: whether another part follows the delimiter ("--" ends the body). */
    private boolean readBoundary() throws ApiException, IOException {
        try {
            return input.readBoundary();
        } catch (MultipartInput.MalformedStreamException e) {
            throw malformed(e, e.getCause() == null ? "unexpected text after a boundary"
                    : "the body ends without a closing boundary");
        }
    }

    /**
     * A part without headers has no name, so it is skipped as Django does. python-libmaas 0.6.8 sends
     * "--B\r\n\r\n--B--" for a POST without parameters: the blank line that ends the empty headers is also the line
     * break of the next delimiter, which the delimiter search (CRLF "--B") cannot see any more. So the body of such a
     * part is scanned here, byte by byte and bounded, for a delimiter at the start of a line.
     */
    private boolean skipPartWithoutHeaders() throws ApiException, IOException {
        int matched = 0; // bytes of "--boundary" matched since a line start; -1 when not at a line start
        int previous = '\n';
        long read = 0;
        long max = limits.maxFieldBytes() + (long) bareDelimiter.length;
        while (true) {
            int b = nextByte("the body ends without a closing boundary");
            if (++read > max) {
                throw new ApiException(413, "Form part without a name is larger than " + limits.maxFieldBytes()
                        + " bytes.");
            }
            if (matched >= 0 && b == (bareDelimiter[matched] & 0xff)) {
                if (++matched == bareDelimiter.length) {
                    return afterBareDelimiter();
                }
            } else {
                matched = previous == '\r' && b == '\n' ? 0 : -1;
            }
            previous = b;
        }
    }

    /** What {@link MultipartInput#readBoundary()} does, after a delimiter found by {@link #skipPartWithoutHeaders}. */
    private boolean afterBareDelimiter() throws ApiException, IOException {
        String end = "the body ends without a closing boundary";
        int first = nextByte(end);
        if (first == '\n') {
            return true;
        }
        int second = nextByte(end);
        if (first == '-' && second == '-') {
            return false;
        }
        if (first == '\r' && second == '\n') {
            return true;
        }
        throw malformed(null, "unexpected text after a boundary");
    }

    private Map<String, String> readHeaders() throws ApiException, IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int budget = FormLimits.MAX_PART_HEADER_BYTES;
        String last = null;
        while (true) {
            String line = readLine(budget);
            budget -= line.length() + 2;
            if (line.isEmpty()) {
                return headers;
            }
            last = addHeaderLine(headers, line, last);
            if (last == null) {
                throw malformed(null, "bad part header line");
            }
        }
    }

    /** Adds one part header line (or a folded continuation); the header's name, or null for a malformed line. */
    private static String addHeaderLine(Map<String, String> headers, String line, String last) {
        if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
            headers.merge(last, " " + line.strip(), String::concat); // folded header line
            return last;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        headers.put(name, line.substring(colon + 1).strip());
        return name;
    }

    /**
     * Whether the first {@code length} bytes of a multipart body already show that its first part is a file: the
     * body starts with its opening delimiter, and that part's whole header block is there and names a filename.
     * Before authentication nothing more is needed to refuse such a form (OAuth parameters in a form must come
     * before any file part), so the dispatcher need not wait for the whole unauthenticated prefix. {@code NO} when
     * the body starts otherwise (a preamble, a field first, a malformed header: the parser decides on the whole
     * prefix), {@code NOT_YET} while the header block is incomplete. Reads at most the delimiter and
     * {@link FormLimits#MAX_PART_HEADER_BYTES}, with the parser's own header rules.
     */
    static PrefixReader.Enough.Answer startsWithFilePart(byte[] prefix, int length, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int i = 0;
        for (; i < delimiter.length; i++) {
            if (i >= length) {
                return PrefixReader.Enough.Answer.NOT_YET;
            }
            if (prefix[i] != delimiter[i]) {
                return PrefixReader.Enough.Answer.NO;
            }
        }
        // the delimiter's line break
        for (byte b : LINE_BREAK) {
            if (i >= length) {
                return PrefixReader.Enough.Answer.NOT_YET;
            }
            if (prefix[i++] != b) {
                return PrefixReader.Enough.Answer.NO;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String last = null;
        int headerStart = i;
        int end = Math.min(length, headerStart + FormLimits.MAX_PART_HEADER_BYTES);
        int lineStart = i;
        for (; i < end; i++) {
            if (prefix[i] != '\n') {
                continue;
            }
            int lineEnd = i > lineStart && prefix[i - 1] == '\r' ? i - 1 : i;
            String line = new String(prefix, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
            lineStart = i + 1;
            if (line.isEmpty()) {
                Map<String, String> disposition = HeaderParameters.parse(
                        headers.getOrDefault("content-disposition", ""));
                return disposition.get("name") != null && disposition.get("filename") != null
                        ? PrefixReader.Enough.Answer.YES : PrefixReader.Enough.Answer.NO;
            }
            last = addHeaderLine(headers, line, last);
            if (last == null) {
                return PrefixReader.Enough.Answer.NO;
            }
        }
        return end - headerStart >= FormLimits.MAX_PART_HEADER_BYTES ? PrefixReader.Enough.Answer.NO
                : PrefixReader.Enough.Answer.NOT_YET;
    }

    /** One header line without its CR LF (or bare LF); ISO-8859-1, as MIME headers are ASCII. */
    private String readLine(int max) throws ApiException, IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = nextByte("the body ends inside the part headers");
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() >= max) {
                throw new ApiException(413, "Form part headers are larger than "
                        + FormLimits.MAX_PART_HEADER_BYTES + " bytes.");
            }
            line.append((char) b);
        }
    }

    /** The next byte of the body, from the parser's buffer; the end of the body here is malformed. */
    private int nextByte(String atEnd) throws ApiException, IOException {
        try {
            return input.readByte() & 0xff;
        } catch (RequestBody.ClientFault e) {
            throw e; // the client's own failure, answered as such
        } catch (IOException e) {
            throw malformed(e, atEnd);
        }
    }

    /** A 400 for a body that is not multipart, unless the cause is the client failing to send it. */
    private static ApiException malformed(IOException e, String why) throws RequestBody.ClientFault {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestBody.ClientFault fault) {
                throw fault;
            }
        }
        return ApiException.badRequest("Malformed multipart form: " + why + ".");
    }

    private static Charset charset(String contentType) {
        String cs = HeaderParameters.parse(contentType).get("charset");
        try {
            return cs == null ? StandardCharsets.UTF_8 : Charset.forName(cs);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * Lets through only what a MIME base64 body may hold: the alphabet, padding at the end, and line breaks or other
     * whitespace. commons-codec skips anything else silently, which would turn a damaged part into different data.
     */
    static final class Base64Alphabet extends java.io.FilterInputStream {

        /** A byte outside the alphabet, or data after the padding. */
        static final class Invalid extends IOException {
            private static final long serialVersionUID = 1L;

            Invalid() {
                super("invalid base64");
            }
        }

        private boolean padded;

        Base64Alphabet(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                check((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            for (int i = off; i < off + n; i++) {
                check(b[i]);
            }
            return n;
        }

        private void check(byte b) throws Invalid {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                return;
            }
            if (b == '=') {
                padded = true;
                return;
            }
            if (padded || !org.apache.commons.codec.binary.Base64.isBase64(b) || b == '-' || b == '_') {
                throw new Invalid();
            }
        }
    }
}
