package io.metalforge.simplestreams.internal;

import java.net.URI;

import io.metalforge.api.source.StreamSourceException;

/** Resolves paths a stream names against its mirror root, refusing any that would leave the mirror. */
final class MirrorPaths {

    private MirrorPaths() {
    }

    static URI resolve(URI mirrorRoot, String path) throws StreamSourceException {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("://")) {
            throw new StreamSourceException("Path '" + path + "' points outside the mirror " + mirrorRoot);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                throw new StreamSourceException("Path '" + path + "' points outside the mirror " + mirrorRoot);
            }
        }
        if (path.length() > 4096) {
            throw new StreamSourceException("Path too long in the stream of " + mirrorRoot);
        }
        // Colons are legal in simplestreams names (com.ubuntu.maas:stable:...): percent-encode every segment.
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            if (encoded.length() > 0) {
                encoded.append('/');
            }
            encoded.append(encodeSegment(segment));
        }
        URI resolved = mirrorRoot.resolve(encoded.toString());
        if (resolved.getRawPath() == null || mirrorRoot.getRawPath() == null
                || !resolved.getRawPath().startsWith(mirrorRoot.getRawPath())
                || !java.util.Objects.equals(resolved.getScheme(), mirrorRoot.getScheme())
                || !java.util.Objects.equals(resolved.getRawAuthority(), mirrorRoot.getRawAuthority())) {
            throw new StreamSourceException("Path '" + path + "' points outside the mirror " + mirrorRoot);
        }
        return resolved;
    }

    private static String encodeSegment(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            // ':' is escaped too, so a segment never reads as a scheme
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~+,=@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
