package io.metalforge.platform.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.platform.PlatformConsole;

/**
 * The console on the process's standard output (the file descriptor itself, not {@code System.out}, which the shell
 * redirects per command thread), so lines from any thread and the shell's progress lines land in one order.
 * Without ANSI escapes: a line printed above a progress line overwrites it with {@code \r} and spaces, which
 * every terminal and a redirected log file understand.
 */
@Component(service = PlatformConsole.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class TerminalConsole implements PlatformConsole {

    private final PrintStream out;
    /** The progress line showing, or null. */
    private String progress;

    @Activate
    public TerminalConsole() {
        this(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
    }

    /** On any stream: tests of this and other bundles. */
    public TerminalConsole(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void println(String line) {
        if (progress == null) {
            out.println(line);
        } else {
            out.print("\r" + padded(line, progress.length()) + "\n" + progress);
            out.flush();
        }
    }

    @Override
    public synchronized void progress(String line) {
        out.print("\r" + padded(line, progress == null ? 0 : progress.length()));
        out.flush();
        progress = line;
    }

    @Override
    public synchronized void endProgress() {
        if (progress != null) {
            out.println();
            progress = null;
        }
    }

    /** The line with trailing spaces over whatever a longer line left on the terminal row. */
    private static String padded(String line, int covering) {
        return line.length() >= covering ? line : line + " ".repeat(covering - line.length());
    }
}
