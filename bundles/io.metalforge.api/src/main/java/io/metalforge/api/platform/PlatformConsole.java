package io.metalforge.api.platform;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's console (the appliance's standard output). Lines and one progress line share it without breaking
 * each other: a line printed while a progress line is showing goes above it, and the progress line is drawn again
 * below. Warnings and errors from the logs reach the console through this service; everything else goes only to
 * the log file.
 */
@ProviderType
public interface PlatformConsole {

    /** Prints one line for the operator, above the progress line when one is showing. */
    void println(String line);

    /** Draws the progress line, replacing the one showing (e.g. {@code [####....]  45%  1.2 GiB of 2.6 GiB}). */
    void progress(String line);

    /** Leaves the progress line showing as the last line printed; later lines and progress go below it. */
    void endProgress();
}
