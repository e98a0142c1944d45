package io.metalforge.inspect.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.tukaani.xz.XZInputStream;

import io.metalforge.api.inspect.ImageDoctor;

/** Recognises the layers of an image from its first bytes: a compression, then a tar archive or a disk image. */
final class Formats {

    enum Compression {
        GZIP("gzip"), BZIP2("bzip2"), XZ("xz"), ZSTD("zstd"), NONE("uncompressed");

        final String label;

        Compression(String label) {
            this.label = label;
        }
    }

    enum Container {
        TAR("tar archive"), DISK("raw disk image"), UNKNOWN("data of unknown type"), UNDECIDED("data");

        final String label;

        Container(String label) {
            this.label = label;
        }
    }

    /** What the head of an image is. {@code detail} names a partition table or filesystem of a disk image. */
    record Layers(Compression compression, Container container, String detail) {
        String describe() {
            String what = container.label + (detail == null ? "" : " (" + detail + ")");
            return compression == Compression.NONE ? what : compression.label + "-compressed " + what;
        }
    }

    /** Stored filetype → the layers its content must have. */
    static final Map<String, Layers> EXPECTED = Map.ofEntries(
            Map.entry("root-tgz", new Layers(Compression.GZIP, Container.TAR, null)),
            Map.entry("root-tbz", new Layers(Compression.BZIP2, Container.TAR, null)),
            Map.entry("root-txz", new Layers(Compression.XZ, Container.TAR, null)),
            Map.entry("root-dd", new Layers(Compression.GZIP, Container.TAR, "holding a disk image")),
            Map.entry("root-dd.tar", new Layers(Compression.NONE, Container.TAR, "holding a disk image")),
            Map.entry("root-dd.tar.bz2", new Layers(Compression.BZIP2, Container.TAR, "holding a disk image")),
            Map.entry("root-dd.tar.xz", new Layers(Compression.XZ, Container.TAR, "holding a disk image")),
            Map.entry("root-dd.raw", new Layers(Compression.NONE, Container.DISK, null)),
            Map.entry("root-dd.gz", new Layers(Compression.GZIP, Container.DISK, null)),
            Map.entry("root-dd.bz2", new Layers(Compression.BZIP2, Container.DISK, null)),
            Map.entry("root-dd.xz", new Layers(Compression.XZ, Container.DISK, null)));

    private Formats() {
    }

    static Compression compression(byte[] b, int len) {
        if (len >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            return Compression.GZIP;
        }
        if (len >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9') {
            return Compression.BZIP2;
        }
        if (len >= 6 && (b[0] & 0xFF) == 0xFD && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z'
                && b[5] == 0) {
            return Compression.XZ;
        }
        if (len >= 4 && (b[0] & 0xFF) == 0x28 && (b[1] & 0xFF) == 0xB5 && (b[2] & 0xFF) == 0x2F
                && (b[3] & 0xFF) == 0xFD) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /** A decompressing stream for {@code compression}; zstd is recognised but not decoded (no pure-Java decoder). */
    static InputStream decompress(Compression compression, InputStream in, Limits limits) throws IOException {
        return switch (compression) {
            case GZIP -> new GZIPInputStream(in, 64 * 1024);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> new XZInputStream(in, limits.xzMemoryLimitKiB());
            case NONE -> in;
            case ZSTD -> throw new CorruptImageException("zstd content is not inspected");
        };
    }

    /** What the first uncompressed bytes are. {@code complete}: these are all the bytes there are. */
    static Layers container(Compression compression, byte[] b, int len, boolean complete) {
        if (TarScanner.isHeader(b, 0, len)) {
            return new Layers(compression, Container.TAR, null);
        }
        String disk = DiskInspector.signature(b, len);
        if (disk != null) {
            return new Layers(compression, Container.DISK, disk);
        }
        boolean enough = complete || len >= Filesystems.PROBE_BYTES;
        return new Layers(compression, enough ? Container.UNKNOWN : Container.UNDECIDED, null);
    }

    /** Detects the layers of a head of {@code length} bytes; {@code complete} when that is the whole image. */
    static Layers detect(byte[] head, int length, boolean complete, Limits limits) {
        try {
            return detect(new ByteArrayInputStream(head, 0, length), complete, limits);
        } catch (IOException e) {
            throw new IllegalStateException("reading an array failed", e); // a ByteArrayInputStream does not fail
        }
    }

    /**
     * Detects the layers of the image {@code content} starts, reading no more of it than that takes: the first
     * {@link Filesystems#PROBE_BYTES} of an uncompressed image, and of a compressed one what the decompressor needs
     * for that many bytes of its content, at most {@link ImageDoctor#HEAD_BYTES}. {@code complete} when the content
     * is the whole image.
     */
    static Layers detect(InputStream content, boolean complete, Limits limits) throws IOException {
        byte[] probe = content.readNBytes(Filesystems.PROBE_BYTES);
        Compression compression = compression(probe, probe.length);
        if (compression == Compression.NONE) {
            return container(compression, probe, probe.length, complete);
        }
        if (compression == Compression.ZSTD) {
            return new Layers(compression, Container.UNDECIDED, null);
        }
        byte[] inner = new byte[Filesystems.PROBE_BYTES];
        int got = 0;
        boolean ended = false;
        // the rest of the head, at most HEAD_BYTES in all; closing it when the decompressor is closed leaves the
        // content open, as it is the caller's
        InputStream head = new SequenceInputStream(new ByteArrayInputStream(probe), BoundedInputStream.builder()
                .setInputStream(content).setMaxCount(ImageDoctor.HEAD_BYTES - probe.length).setPropagateClose(false)
                .get());
        try (InputStream in = decompress(compression, new BufferedInputStream(head), limits)) {
            while (got < inner.length) {
                int n = in.read(inner, got, inner.length - got);
                if (n < 0) {
                    ended = true;
                    break;
                }
                got += n;
            }
        } catch (IOException e) {
            // a head cut in the middle of the compressed stream: judge by what was decoded
            if (complete && got == 0) {
                return new Layers(compression, Container.UNKNOWN, "corrupt: " + e.getMessage());
            }
        }
        return container(compression, inner, got, complete && ended);
    }

    /** The error naming the declared and the detected format, if they differ. */
    static Optional<String> mismatch(String filetype, Layers detected) {
        Layers expected = EXPECTED.get(filetype);
        if (expected == null) {
            return Optional.empty();
        }
        boolean differ = expected.compression() != detected.compression()
                || (detected.container() != Container.UNDECIDED && expected.container() != detected.container());
        if (!differ) {
            return Optional.empty();
        }
        return Optional.of("Declared filetype " + filetype + " (" + expected.describe() + ") does not match the content: "
                + detected.describe() + ".");
    }
}
