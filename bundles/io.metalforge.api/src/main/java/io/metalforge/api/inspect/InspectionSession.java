package io.metalforge.api.inspect;

import org.osgi.annotation.versioning.ProviderType;

/** An inspection fed with the bytes of an image, in order, as they arrive. */
@ProviderType
public interface InspectionSession extends AutoCloseable {

    /** The next bytes of the image. Returns at once once the doctor needs no more. */
    void feed(byte[] bytes, int offset, int length);

    /**
     * The report, if the doctor already reached its verdict (it may need no more bytes, or it rejected the image);
     * never waits.
     */
    java.util.Optional<ImageReport> reportIfDone();

    /** Ends the input and waits for the report. */
    ImageReport finish() throws InterruptedException;

    /** Abandons the inspection (upload dropped); harmless after {@link #finish}. */
    @Override
    void close();
}
