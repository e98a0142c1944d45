package io.metalforge.api.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Inspects images without extracting anything to disk and with bounded memory. Hostile input (decompression bombs,
 * huge headers, very many entries, deep paths) ends the inspection with a {@link Severity#REJECTED} finding instead of
 * exhausting the machine.
 */
@ProviderType
public interface ImageDoctor {

    /** How many leading bytes {@link #checkDeclaredFormat} and {@link #describeFormat} want to see at most. */
    int HEAD_BYTES = 4 << 20;

    /** What the first bytes of an image are, e.g. "xz-compressed tar archive" or "raw disk image (GPT)". */
    String describeFormat(byte[] head, int length);

    /**
     * Checks the first bytes of an image against a stored filetype ("root-tgz", "root-dd.xz", ...).
     *
     * @return an error naming both the declared and the detected format, or empty when they agree (or when too
     *         little content is there to tell)
     */
    Optional<String> checkDeclaredFormat(String filetype, byte[] head, int length);

    /**
     * {@link #checkDeclaredFormat(String, byte[], int)} on the first bytes of {@code content}, read from it as far as
     * the check needs (at most {@link #HEAD_BYTES}; the first 72 KiB of an uncompressed image) and never gathered in
     * one array, so checking an upload's stream makes no allocation of half a G1 region or more. The caller replays
     * what was read, {@link ImageHead} for one.
     */
    Optional<String> checkDeclaredFormat(String filetype, InputStream content) throws IOException;

    /** {@link #describeFormat(byte[], int)} on the first bytes of {@code content}, read as the check above reads. */
    String describeFormat(InputStream content) throws IOException;

    /** Reads {@code content} (as far as needed) and reports. Does not close it. */
    ImageReport inspect(InputStream content, ImageExpectation expectation) throws IOException;

    /**
     * Starts an inspection that is fed the bytes of an upload as they are stored, so the upload reads its stream
     * once. The doctor works on its own thread; feeding blocks only while it is behind.
     */
    InspectionSession open(ImageExpectation expectation);
}
