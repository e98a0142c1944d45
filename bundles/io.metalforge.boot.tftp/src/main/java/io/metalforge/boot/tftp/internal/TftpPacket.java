package io.metalforge.boot.tftp.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** TFTP packets (RFC 1350, options RFC 2347): what the server reads and writes. */
final class TftpPacket {

    static final int RRQ = 1;
    static final int WRQ = 2;
    static final int DATA = 3;
    static final int ACK = 4;
    static final int ERROR = 5;
    static final int OACK = 6;

    static final int ERR_NOT_DEFINED = 0;
    static final int ERR_NOT_FOUND = 1;
    static final int ERR_ACCESS = 2;
    static final int ERR_ILLEGAL = 4;
    static final int ERR_UNKNOWN_TID = 5;
    static final int ERR_OPTIONS = 8;

    private TftpPacket() {
    }

    /** A read or write request: file name, mode, and options with lower-case names. */
    record Request(int opcode, String filename, String mode, Map<String, String> options) {
    }

    static int opcode(byte[] data, int length) {
        return length < 2 ? -1 : ((data[0] & 0xff) << 8) | (data[1] & 0xff);
    }

    /** Parses a RRQ or WRQ; null when malformed. */
    static Request request(byte[] data, int length) {
        int op = opcode(data, length);
        if (op != RRQ && op != WRQ) {
            return null;
        }
        String[] fields = new String[64];
        int n = 0;
        int start = 2;
        for (int i = 2; i < length && n < fields.length; i++) {
            if (data[i] == 0) {
                fields[n++] = new String(data, start, i - start, StandardCharsets.ISO_8859_1);
                start = i + 1;
            }
        }
        if (n < 2 || fields[0].isEmpty()) {
            return null;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i + 1 < n; i += 2) {
            options.put(fields[i].toLowerCase(Locale.ROOT), fields[i + 1]);
        }
        return new Request(op, fields[0], fields[1].toLowerCase(Locale.ROOT), options);
    }

    /** Block number of an ACK, or -1 when it is not one. */
    static int ackBlock(byte[] data, int length) {
        if (opcode(data, length) != ACK || length < 4) {
            return -1;
        }
        return ((data[2] & 0xff) << 8) | (data[3] & 0xff);
    }

    static byte[] error(int code, String message) {
        byte[] text = message.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(5 + text.length);
        b.putShort((short) ERROR).putShort((short) code).put(text).put((byte) 0);
        return b.array();
    }

    static byte[] oack(Map<String, String> options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(0);
        out.write(OACK);
        options.forEach((k, v) -> {
            out.writeBytes(k.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            out.writeBytes(v.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        });
        return out.toByteArray();
    }

    /** Writes the DATA header for a block (number modulo 65536) into the first 4 bytes. */
    static void dataHeader(byte[] packet, long block) {
        packet[0] = 0;
        packet[1] = DATA;
        packet[2] = (byte) ((block >> 8) & 0xff);
        packet[3] = (byte) (block & 0xff);
    }
}
