package io.metalforge.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds a multipart body byte for byte as the maas CLI does with Python's email package: boundary
 * "===============<19 digits>==" (quoted in the Content-Type), every part base64 with lines of 76 characters
 * ended by CRLF, headers Content-Transfer-Encoding, Content-Disposition, MIME-Version, Content-Type, a blank line
 * before each boundary, and no CRLF after the closing one. The committed fixture maascli/body.bin, made by Python
 * itself, has the same shape.
 */
final class MaasCliMultipart {

    private record Part(String name, byte[] value, boolean file) {
    }

    private final List<Part> parts = new ArrayList<>();
    final String boundary = "===============" + String.format("%019d",
            ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L)) + "==";

    MaasCliMultipart field(String name, String value) {
        parts.add(new Part(name, value.getBytes(StandardCharsets.UTF_8), false));
        return this;
    }

    MaasCliMultipart file(String name, byte[] content) {
        parts.add(new Part(name, content, true));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=\"" + boundary + "\"";
    }

    byte[] body() {
        StringBuilder s = new StringBuilder();
        for (Part p : parts) {
            s.append("--").append(boundary).append("\r\n");
            s.append("Content-Transfer-Encoding: base64\r\n");
            s.append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
            if (p.file()) {
                s.append("; filename=\"").append(p.name()).append('"');
            }
            s.append("\r\n");
            s.append("MIME-Version: 1.0\r\n");
            s.append(p.file() ? "Content-Type: application/octet-stream\r\n"
                    : "Content-Type: text/plain; charset=\"utf-8\"\r\n");
            s.append("\r\n");
            String b64 = Base64.getEncoder().encodeToString(p.value());
            for (int i = 0; i < b64.length(); i += 76) {
                s.append(b64, i, Math.min(b64.length(), i + 76)).append("\r\n");
            }
            s.append("\r\n");
        }
        s.append("--").append(boundary).append("--");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(s.toString().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
