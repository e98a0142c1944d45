package io.metalforge.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.metalforge.api.http.ApiException;

/**
 * Streams a multipart/form-data body into a {@link Form}, in bounded memory. It accepts what the maas CLI sends
 * (Python's email package: a quoted boundary containing "=", base64 Content-Transfer-Encoding on every part wrapped
 * at 76 columns, a per-part MIME-Version, no CRLF after the closing boundary) as well as RFC 7578 bodies from Go
 * and browsers (binary parts, no transfer encoding). Servlet multipart APIs follow RFC 7578 and would hand the
 * base64 text over undecoded, hence this parser.
 */
final class MultipartParser {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final FormLimits limits;
    private final Path spoolFolder;
    private final Gate gate;
    private final long spoolReserveBytes;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    private MultipartParser(InputStream in, String boundary, FormLimits limits, Path spoolFolder, Gate gate,
            long spoolReserveBytes) {
        this.gate = gate;
        this.spoolReserveBytes = spoolReserveBytes;
        // Every delimiter is "--boundary" at the start of a line; a virtual line break before the body lets the
        // first one be found like the others.
        this.in = in;
        this.delimiter = ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.limits = limits;
        this.spoolFolder = spoolFolder;
        this.buf = new byte[BUFFER + delimiter.length + 2];
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
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
        // preamble: discarded, but bounded
        copyUntilDelimiter(OutputStream.nullOutputStream(), 64 * 1024, "preamble");
        int parts = 0;
        while (true) {
            if (afterDelimiterIsClose()) {
                return; // epilogue, if any, is ignored
            }
            if (++parts > limits.maxParts()) {
                throw ApiException.badRequest("Too many form parts (at most " + limits.maxParts() + ").");
            }
            readPart(form);
        }
    }

    /** After a delimiter: "--" closes the body; otherwise the rest of the line (transport padding) is skipped. */
    private boolean afterDelimiterIsClose() throws ApiException, IOException {
        if (!ensure(2)) {
            throw malformed("the body ends without a closing boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            return true;
        }
        String rest = readLine(1024);
        if (!rest.isBlank()) {
            throw malformed("unexpected text after a boundary");
        }
        return false;
    }

    private void readPart(Form form) throws ApiException, IOException {
        Map<String, String> headers = readHeaders();
        if (headers.isEmpty() && atBareDelimiter()) {
            // python-libmaas 0.6.8 sends "--B\r\n\r\n--B--" for a POST without parameters: one part with no
            // headers whose blank line is also the line break before the next delimiter. Django reads it as an
            // empty form; so do we.
            pos += delimiter.length - 1;
            return;
        }
        Map<String, String> disposition = HeaderParameters.parse(headers.getOrDefault("content-disposition", ""));
        String name = disposition.get("name");
        if (name == null) {
            // Django skips a part without a name; its content is read (bounded) and dropped
            copyUntilDelimiter(OutputStream.nullOutputStream(), limits.maxFieldBytes(), "part without a name");
            return;
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
        if (filename == null) {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            copyDecoded(value, base64, limits.maxFieldBytes(), name);
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
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 65536)) {
                long size = copyDecoded(out, base64, limits.maxFileBytes(), name);
                spooled = new Form.SpooledFile(name, filename, contentType, size, file);
            } catch (ApiException | IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            form.addFile(spooled);
        }
    }

    private long copyDecoded(OutputStream sink, boolean base64, long max, String name)
            throws ApiException, IOException {
        CountingOutputStream counted = new CountingOutputStream(sink, max);
        try {
            if (base64) {
                Base64DecodingOutputStream decoder = new Base64DecodingOutputStream(counted);
                copyUntilDelimiter(decoder, Long.MAX_VALUE, name);
                decoder.finish();
            } else {
                copyUntilDelimiter(counted, Long.MAX_VALUE, name);
            }
        } catch (Base64DecodingOutputStream.MalformedBase64Exception e) {
            throw ApiException.badRequest("Invalid base64 in form part '" + name + "'.");
        } catch (CountingOutputStream.TooLarge e) {
            throw new ApiException(413, "Form part '" + name + "' is larger than " + max + " bytes.");
        }
        return counted.count;
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
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                headers.merge(last, " " + line.strip(), String::concat); // folded header line
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("bad part header line");
            }
            last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.put(last, line.substring(colon + 1).strip());
        }
    }

    /** One line without its CR LF (or bare LF); ISO-8859-1, as MIME headers are ASCII. */
    private String readLine(int max) throws ApiException, IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!ensure(1)) {
                throw malformed("the body ends inside the part headers");
            }
            byte b = buf[pos++];
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
            line.append((char) (b & 0xff));
        }
    }

    /**
     * Copies bytes to {@code sink} up to the next delimiter, without the line break that belongs to it, and
     * consumes the delimiter.
     */
    private void copyUntilDelimiter(OutputStream sink, long max, String what) throws ApiException, IOException {
        long copied = 0;
        while (true) {
            int found = indexOfDelimiter();
            if (found >= 0) {
                int end = found > pos && buf[found - 1] == '\r' ? found - 1 : found;
                copied += end - pos;
                if (copied > max) {
                    throw new ApiException(413, "Form " + what + " is larger than " + max + " bytes.");
                }
                sink.write(buf, pos, end - pos);
                pos = found + delimiter.length;
                return;
            }
            // Keep enough bytes back for a delimiter split across reads, and the CR before it.
            int safe = limit - delimiter.length - 1;
            if (safe > pos) {
                copied += safe - pos;
                if (copied > max) {
                    throw new ApiException(413, "Form " + what + " is larger than " + max + " bytes.");
                }
                sink.write(buf, pos, safe - pos);
                pos = safe;
            }
            if (!fill()) {
                throw malformed("the body ends without a closing boundary");
            }
        }
    }

    /** Whether the unread bytes start with the delimiter without its leading line break ("--boundary"). */
    private boolean atBareDelimiter() throws IOException {
        int n = delimiter.length - 1;
        if (!ensure(n)) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (buf[pos + j] != delimiter[j + 1]) {
                return false;
            }
        }
        return true;
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        int last = limit - delimiter.length;
        outer: for (int i = pos; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Makes at least {@code n} unread bytes available; false at the end of the stream. */
    private boolean ensure(int n) throws IOException {
        while (limit - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    private static ApiException malformed(String why) {
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

    /** Counts what passes and stops at a limit. */
    static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        private final long max;
        long count;

        CountingOutputStream(OutputStream out, long max) {
            this.out = out;
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            if (++count > max) {
                throw new TooLarge();
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
            if (count > max) {
                throw new TooLarge();
            }
            out.write(b, off, len);
        }

        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;
        }
    }
}
