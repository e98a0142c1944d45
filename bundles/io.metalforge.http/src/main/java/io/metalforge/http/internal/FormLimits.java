package io.metalforge.http.internal;

/**
 * What a client may send in one form. Exceeding a size gives 413, too many parts 400.
 *
 * @param maxParts          parts of a multipart form (fields and files together)
 * @param maxFieldBytes     decoded bytes of one text field
 * @param maxFileBytes      decoded bytes of one file part (spooled to disk)
 * @param maxFormBytes      encoded bytes of a whole multipart body
 * @param maxUrlEncodedBytes bytes of an urlencoded body (held in memory)
 */
public record FormLimits(int maxParts, int maxFieldBytes, long maxFileBytes, long maxFormBytes,
        int maxUrlEncodedBytes) {

    public static final FormLimits DEFAULT = new FormLimits(1000, 1 << 20, 64L << 20, 96L << 20, 4 << 20);

    /** Bytes of the header block of one multipart part. */
    static final int MAX_PART_HEADER_BYTES = 16 * 1024;
}
