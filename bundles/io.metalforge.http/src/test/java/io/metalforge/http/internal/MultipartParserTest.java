package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.FormFile;

class MultipartParserTest {

    @TempDir
    Path spool;

    private Form parse(byte[] body, String contentType, FormLimits limits) throws Exception {
        return MultipartParser.parse(new ByteArrayInputStream(body), contentType, limits, spool);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MultipartParserTest.class.getResourceAsStream("/maascli/" + name)) {
            return in.readAllBytes();
        }
    }

    /** What a prefix of {@code body} of {@code length} bytes says about the first part. */
    private static PrefixReader.Enough.Answer firstPart(String body, int length, String boundary) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        return MultipartParser.startsWithFilePart(bytes, Math.min(length, bytes.length), boundary);
    }

    @Test
    void aPrefixShowsAFileFirstOnceThatPartsHeadersAreComplete() throws Exception {
        // the maas CLI's shape: a file before any field, as a flood of unauthenticated uploads sends it
        MaasCliMultipart cli = new MaasCliMultipart().file("content", new byte[100_000]).field("name", "x");
        byte[] body = cli.body();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int headersEnd = text.indexOf("\r\n\r\n") + 4;
        for (int length : new int[] { 0, 5, cli.boundary.length() + 3, headersEnd - 1 }) {
            assertEquals(PrefixReader.Enough.Answer.NOT_YET, firstPart(text, length, cli.boundary), "at " + length);
        }
        assertEquals(PrefixReader.Enough.Answer.YES, firstPart(text, headersEnd, cli.boundary));
        assertEquals(PrefixReader.Enough.Answer.YES, firstPart(text, body.length, cli.boundary));
        // and the parser agrees: with OAuth required before files, that prefix alone is refused
        try (InputStream in = new ByteArrayInputStream(body, 0, headersEnd)) {
            ApiException refused = assertThrows(ApiException.class, () -> MultipartParser.parse(in,
                    cli.contentType(), FormLimits.DEFAULT, spool, (form, fileNext) -> {
                        if (fileNext) {
                            throw new ApiException(401, "file before credentials");
                        }
                    }, 0));
            assertEquals(401, refused.status());
        }
    }

    @Test
    void aPrefixWithAFieldFirstOrAnythingUnusualWaitsForTheWholePrefix() throws Exception {
        String b = "B";
        // a field first (form-carried OAuth comes so), a preamble, another boundary, LF-only lines, a header line
        // without a colon, a filename without a name (skipped by the parser), headers over the limit
        assertEquals(PrefixReader.Enough.Answer.NO, firstPart("--B\r\nContent-Disposition: form-data; "
                + "name=\"oauth_consumer_key\"\r\n\r\nk\r\n--B", 999, b));
        assertEquals(PrefixReader.Enough.Answer.NO, firstPart("preamble\r\n--B\r\n", 999, b));
        assertEquals(PrefixReader.Enough.Answer.NO, firstPart("--C\r\n", 999, b));
        assertEquals(PrefixReader.Enough.Answer.NO, firstPart("--B\nContent-Disposition: form-data; name=\"f\"; "
                + "filename=\"f\"\n\n", 999, b));
        assertEquals(PrefixReader.Enough.Answer.NO, firstPart("--B\r\nno colon here\r\n\r\n", 999, b));
        assertEquals(PrefixReader.Enough.Answer.NO, firstPart("--B\r\nContent-Disposition: form-data; "
                + "filename=\"f\"\r\n\r\n", 999, b));
        String longHeader = "--B\r\nX-Pad: " + "p".repeat(FormLimits.MAX_PART_HEADER_BYTES) + "\r\n\r\n";
        assertEquals(PrefixReader.Enough.Answer.NO, firstPart(longHeader, longHeader.length(), b));
        // a folded Content-Disposition naming the file on its second line still counts, as the parser reads it
        assertEquals(PrefixReader.Enough.Answer.YES, firstPart("--B\r\nContent-Disposition: form-data; name=\"f\";"
                + "\r\n filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\nDATA", 999, b));
    }

    @Test
    void decodesTheBodyPythonsEmailPackageMadeForTheMaasCli() throws Exception {
        String contentType = new String(resource("content-type.txt"), StandardCharsets.US_ASCII).strip();
        byte[] body = resource("body.bin");
        assertTrue(contentType.contains("boundary=\"====="), "the fixture has the CLI's quoted boundary");
        assertFalse(new String(body, StandardCharsets.US_ASCII).endsWith("\r\n"), "no CRLF after the last boundary");
        try (Form form = parse(body, contentType, FormLimits.DEFAULT)) {
            assertEquals(List.of("amd64/generic"), form.fields().get("architecture"));
            assertEquals(List.of("amd64", "arm64"), form.fields().get("arches"), "repeated keys keep order");
            assertEquals(List.of("custom/Zürich image"), form.fields().get("name"), "UTF-8 text");
            assertEquals("x".repeat(200), form.fields().get("title").get(0), "CRLF-wrapped base64 lines");
            assertEquals(1, form.files().size());
            FormFile file = form.files().get(0);
            assertEquals("keyring_data", file.name());
            assertEquals("keyring_data", file.filename());
            byte[] expected = new byte[768];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) i;
            }
            assertEquals(768, file.size());
            try (InputStream in = file.open()) {
                assertArrayEquals(expected, in.readAllBytes());
            }
        }
    }

    @Test
    void decodesTheCliShapeBuiltHereIncludingLargeBinaryFiles() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        // CR LF and "--" inside the data must not be taken for a boundary
        System.arraycopy("\r\n--===".getBytes(StandardCharsets.US_ASCII), 0, content, 1000, 7);
        MaasCliMultipart cli = new MaasCliMultipart().field("filetype", "ddraw").field("size", "300000")
                .file("content", content).field("name", "");
        try (Form form = parse(cli.body(), cli.contentType(), FormLimits.DEFAULT)) {
            assertEquals(List.of("ddraw"), form.fields().get("filetype"));
            assertEquals(List.of(""), form.fields().get("name"), "an empty value stays an empty value");
            try (InputStream in = form.files().get(0).open()) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }

    @Test
    void decodesGoStyleBinaryPartsReadOneByteAtATime() throws Exception {
        String boundary = "a7f1c0ffee";
        byte[] data = new byte[70_000];
        new Random(3).nextBytes(data);
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"op\"\r\n\r\nimport\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"root.tgz\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + data.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(data, 0, body, head.length, data.length);
        System.arraycopy(tail, 0, body, head.length + data.length, tail.length);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        try (Form form = MultipartParser.parse(trickle, "multipart/form-data; boundary=" + boundary,
                FormLimits.DEFAULT, spool)) {
            assertEquals(List.of("import"), form.fields().get("op"));
            assertEquals("root.tgz", form.files().get(0).filename());
            try (InputStream in = form.files().get(0).open()) {
                assertArrayEquals(data, in.readAllBytes());
            }
        }
    }

    @Test
    void spooledFilesAreDeletedWhenTheRequestEnds() throws Exception {
        MaasCliMultipart cli = new MaasCliMultipart().file("keyring_data", new byte[5000]);
        Form form = parse(cli.body(), cli.contentType(), FormLimits.DEFAULT);
        Path file = ((Form.SpooledFile) form.files().get(0)).path();
        assertTrue(Files.exists(file));
        form.close();
        assertFalse(Files.exists(file));
    }

    @Test
    void tooManyPartsIsA400() {
        MaasCliMultipart cli = new MaasCliMultipart();
        for (int i = 0; i < 11; i++) {
            cli.field("arches", "a" + i);
        }
        FormLimits limits = new FormLimits(10, 1024, 1024, 1 << 20, 1024);
        ApiException e = assertThrows(ApiException.class, () -> parse(cli.body(), cli.contentType(), limits));
        assertEquals(400, e.status());
        assertEquals("Too many form parts (at most 10).", e.getMessage());
    }

    @Test
    void oversizedFieldAndFileAre413AndLeaveNoFileBehind() throws Exception {
        FormLimits limits = new FormLimits(10, 100, 1000, 1 << 20, 1024);
        MaasCliMultipart field = new MaasCliMultipart().field("title", "x".repeat(101));
        ApiException e = assertThrows(ApiException.class, () -> parse(field.body(), field.contentType(), limits));
        assertEquals(413, e.status());
        assertEquals("Form part 'title' is larger than 100 bytes.", e.getMessage());

        MaasCliMultipart file = new MaasCliMultipart().file("keyring_data", new byte[1001]);
        e = assertThrows(ApiException.class, () -> parse(file.body(), file.contentType(), limits));
        assertEquals(413, e.status());
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count(), "the partial spool file was removed");
        }
    }

    @Test
    void malformedBodiesAreClear400s() {
        String ct = "multipart/form-data; boundary=\"b==\"";
        byte[] unterminated = "--b==\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".getBytes();
        ApiException e = assertThrows(ApiException.class, () -> parse(unterminated, ct, FormLimits.DEFAULT));
        assertEquals(400, e.status());
        assertEquals("Malformed multipart form: the body ends without a closing boundary.", e.getMessage());

        byte[] badBase64 = ("--b==\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: form-data; "
                + "name=\"a\"\r\n\r\n!!!!\r\n--b==--").getBytes();
        e = assertThrows(ApiException.class, () -> parse(badBase64, ct, FormLimits.DEFAULT));
        assertEquals("Invalid base64 in form part 'a'.", e.getMessage());

        byte[] noName = "--b==\r\nContent-Type: text/plain\r\n\r\nv\r\n".repeat(1000).concat("--b==--").getBytes();
        e = assertThrows(ApiException.class, () -> parse(noName, ct, new FormLimits(50, 100, 100, 1 << 20, 100)));
        assertEquals("Too many form parts (at most 50).", e.getMessage(), "skipped nameless parts still count");

        e = assertThrows(ApiException.class, () -> parse(new byte[0], "multipart/form-data", FormLimits.DEFAULT));
        assertEquals("Malformed multipart form: no boundary in the Content-Type.", e.getMessage());
    }

    @Test
    void partsWithoutANameAreSkippedAsDjangoDoes() throws Exception {
        String ct = "multipart/form-data; boundary=\"b==\"";
        byte[] body = ("--b==\r\nContent-Type: text/plain\r\n\r\ndropped\r\n--b==\r\nContent-Disposition: form-data; "
                + "name=\"kept\"\r\n\r\nvalue\r\n--b==--").getBytes(StandardCharsets.US_ASCII);
        try (Form form = parse(body, ct, FormLimits.DEFAULT)) {
            assertEquals(java.util.Map.of("kept", List.of("value")), form.fields());
        }
        // what python-libmaas 0.6.8 sends for a POST without parameters
        try (Form form = parse("--B\r\n\r\n--B--".getBytes(StandardCharsets.US_ASCII),
                "multipart/form-data; boundary=B", FormLimits.DEFAULT)) {
            assertTrue(form.fields().isEmpty());
            assertTrue(form.files().isEmpty());
        }
    }

    @Test
    void aPartWithoutHeadersAndAnEmptyBodyIsSkippedToo() throws Exception {
        // RFC 2046: no headers, an empty body, then the delimiter with its own line break
        try (Form form = parse("--B\r\n\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--B--"
                .getBytes(StandardCharsets.US_ASCII), "multipart/form-data; boundary=B", FormLimits.DEFAULT)) {
            assertEquals(java.util.Map.of("k", List.of("v")), form.fields());
        }
    }

    @Test
    void base64WithDataAfterThePaddingOrAnImpossibleTailIsRefusedNotTruncated() {
        String ct = "multipart/form-data; boundary=\"b==\"";
        for (String encoded : new String[] { "QQ==QUJD", "QUJDR", "QU-J" }) {
            byte[] body = ("--b==\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: form-data; "
                    + "name=\"a\"\r\n\r\n" + encoded + "\r\n--b==--").getBytes(StandardCharsets.US_ASCII);
            ApiException e = assertThrows(ApiException.class, () -> parse(body, ct, FormLimits.DEFAULT), encoded);
            assertEquals(400, e.status());
            assertEquals("Invalid base64 in form part 'a'.", e.getMessage());
        }
    }

    @Test
    void aFilePartIsWrittenToTheSpoolWhileItArrivesNotHeldInMemory() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(11).nextBytes(data);
        MaasCliMultipart cli = new MaasCliMultipart().field("filetype", "tgz").file("content", data);
        byte[] body = cli.body();
        long[] spooledWhenHalfRead = { -1 };
        InputStream watched = new FilterInputStream(new ByteArrayInputStream(body)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= body.length / 2 && spooledWhenHalfRead[0] < 0) {
                    try (var files = Files.list(spool)) {
                        spooledWhenHalfRead[0] = files.mapToLong(f -> f.toFile().length()).sum();
                    }
                }
                int n = super.read(b, off, Math.min(len, 8192));
                read += Math.max(0, n);
                return n;
            }
        };
        try (Form form = MultipartParser.parse(watched, cli.contentType(), FormLimits.DEFAULT, spool)) {
            assertEquals(data.length, form.files().get(0).size());
            try (InputStream in = form.files().get(0).open()) {
                assertArrayEquals(data, in.readAllBytes());
            }
        }
        // half of the body is ~2 MiB of decoded data: all but the parser's and decoder's buffers is on disk by then
        assertTrue(spooledWhenHalfRead[0] > (data.length / 2) - (512 << 10),
                "spooled while half the body was read: " + spooledWhenHalfRead[0]);
    }

    @Test
    void headerParametersHandleQuotesAndEscapes() {
        var p = HeaderParameters.parse("form-data; name=\"a;b\"; filename=\"x\\\"y.txt\"");
        assertEquals("form-data", p.get(""));
        assertEquals("a;b", p.get("name"));
        assertEquals("x\"y.txt", p.get("filename"));
        assertEquals("===============123==",
                MultipartParser.boundary("multipart/form-data; boundary=\"===============123==\""));
    }

    @Test
    void urlEncodedKeepsRepeatsAndDecodesUtf8() throws Exception {
        var m = UrlEncoded.parse("op=&arches=amd64&arches=arm64&name=Z%C3%BCrich+x&flag");
        assertEquals(List.of(""), m.get("op"));
        assertEquals(List.of("amd64", "arm64"), m.get("arches"));
        assertEquals(List.of("Zürich x"), m.get("name"));
        assertEquals(List.of(""), m.get("flag"));
        ApiException e = assertThrows(ApiException.class, () -> UrlEncoded.parse("a=%zz"));
        assertEquals(400, e.status());
    }
}
