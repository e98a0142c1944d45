package io.metalforge.platform.internal;

import java.io.PrintStream;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Prints warnings and errors from the OSGi log (DS, Config Admin, FileInstall and our own bundles) to standard
 * error, so a failing component is never silent.
 */
@Component(immediate = true)
public class ErrorLogPrinter implements LogListener {

    private final LogReaderService reader;
    private final PrintStream out;

    @Activate
    public ErrorLogPrinter(@Reference LogReaderService reader) {
        this(reader, System.err);
    }

    ErrorLogPrinter(LogReaderService reader, PrintStream out) {
        this.reader = reader;
        this.out = out;
        reader.addLogListener(this);
    }

    @Deactivate
    void stop() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        if (level != LogLevel.ERROR && level != LogLevel.WARN && level != LogLevel.AUDIT) {
            return;
        }
        String source = entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName();
        synchronized (out) {
            out.println(Instant.ofEpochMilli(entry.getTime()) + " " + level + " [" + source + "] " + entry.getMessage());
            if (entry.getException() != null) {
                entry.getException().printStackTrace(out);
            }
        }
    }
}
