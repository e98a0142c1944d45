package io.metalforge.platform.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.platform.PlatformConsole;
import io.metalforge.api.platform.PlatformDirectories;

/**
 * Where log lines go. Everything from the configured level up (INFO by default) goes to
 * {@code <data>/log/metalforge.log}, rotated by size; warnings and errors also go to the console, one line each,
 * above any progress line. Sources: the OSGi log (Declarative Services, Configuration Admin, FileInstall, bundles
 * that log through it) and {@code java.util.logging}, which also carries {@code System.Logger} and SPI Fly; the
 * JVM's default console handler is taken off while this runs, so INFO lines never reach the console.
 * A configuration change reopens the file in place ({@code @Modified}) instead of restarting the component.
 */
@Component(service = LogRouting.class, immediate = true, configurationPid = LogRouting.PID)
@Designate(ocd = LogConfiguration.class)
public class LogRouting implements LogListener {

    static final String PID = "io.metalforge.platform.log";
    /** The logger name under which the OSGi log records service events (Felix Log 1.3 leaves it unset). */
    static final String SERVICE_EVENTS = "Events.Service";

    private final LogReaderService reader;
    private final PlatformConsole console;
    private final Path path;
    private final Handler bridge = new JulBridge();
    private final List<Handler> consoleHandlers = new ArrayList<>();
    private volatile RotatingLogFile file;
    private volatile int threshold;

    @Activate
    public LogRouting(@Reference LogReaderService reader, @Reference PlatformDirectories directories,
            @Reference PlatformConsole console, LogConfiguration config) throws IOException {
        this(reader, directories.data().resolve("log").resolve("metalforge.log"), console, config);
    }

    LogRouting(LogReaderService reader, Path path, PlatformConsole console, LogConfiguration config)
            throws IOException {
        this.reader = reader;
        this.console = console;
        this.path = path;
        apply(config);
    }

    @Activate
    void start() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                consoleHandlers.add(h);
                root.removeHandler(h);
            }
        }
        root.addHandler(bridge);
        if (reader != null) {
            reader.addLogListener(this);
        }
    }

    @Modified
    void apply(LogConfiguration config) throws IOException {
        RotatingLogFile old = file;
        file = new RotatingLogFile(path, config.megabytes() * 1024L * 1024L, config.keep());
        threshold = severity(config.level());
        if (old != null) {
            old.close();
        }
    }

    @Deactivate
    void stop() throws IOException {
        if (reader != null) {
            reader.removeLogListener(this);
        }
        Logger root = Logger.getLogger("");
        root.removeHandler(bridge);
        consoleHandlers.forEach(root::addHandler);
        consoleHandlers.clear();
        file.close();
    }

    RotatingLogFile file() {
        return file;
    }

    @Override
    public void logged(LogEntry entry) {
        int level = switch (entry.getLogLevel()) {
            case ERROR -> 1000;
            case WARN -> 900;
            case INFO, AUDIT -> 800;
            case DEBUG -> 500;
            case TRACE -> 300;
        };
        if (level < 900 && (SERVICE_EVENTS.equals(entry.getLoggerName())
                || entry.getMessage() != null && entry.getMessage().startsWith("ServiceEvent "))) {
            // every service (un)registration: hundreds per start, only useful when debugging
            level = 500;
        }
        String source = entry.getBundle() == null ? entry.getLoggerName() : entry.getBundle().getSymbolicName();
        record(entry.getTime(), level, source, entry.getMessage(), entry.getException());
    }

    /** Writes one event where its level sends it. */
    void record(long millis, int level, String source, String message, Throwable error) {
        String name = name(level);
        if (level >= threshold) {
            StringBuilder line = new StringBuilder().append(Instant.ofEpochMilli(millis)).append(' ')
                    .append(String.format(Locale.ROOT, "%-7s", name)).append(" [").append(source).append("] ")
                    .append(message).append('\n');
            if (error != null) {
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            try {
                file.append(line.toString());
            } catch (IOException e) {
                console.println("metalforge: cannot write " + path + ": " + e.getMessage());
            }
        }
        if (level >= 900) {
            console.println(name + " [" + source + "] " + message + (error == null ? ""
                    : ": " + error + " (stack trace in " + path + ")"));
        }
    }

    static int severity(String level) {
        return switch (level.strip().toUpperCase(Locale.ROOT)) {
            case "ERROR", "SEVERE" -> 1000;
            case "WARNING", "WARN" -> 900;
            case "DEBUG", "FINE" -> 500;
            case "TRACE", "FINER", "FINEST", "ALL" -> 300;
            default -> 800;
        };
    }

    private static String name(int level) {
        return level >= 1000 ? "ERROR" : level >= 900 ? "WARNING" : level >= 800 ? "INFO" : "DEBUG";
    }

    /** {@code java.util.logging} (and {@code System.Logger}, whose default backend it is) into {@link #record}. */
    private final class JulBridge extends Handler {
        private final SimpleFormatter formatter = new SimpleFormatter();

        JulBridge() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord r) {
            int v = r.getLevel().intValue();
            int level = v >= Level.SEVERE.intValue() ? 1000 : v >= Level.WARNING.intValue() ? 900
                    : v >= Level.INFO.intValue() ? 800 : v >= Level.FINE.intValue() ? 500 : 300;
            record(r.getMillis(), level, r.getLoggerName() == null ? "?" : r.getLoggerName(),
                    formatter.formatMessage(r), r.getThrown());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
