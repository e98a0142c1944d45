package io.metalforge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Command-line mode for scripts without a console ({@code bin/metalforge-admin}): when the framework property
 * {@value #COMMAND} is set (e.g. {@code -Dmetalforge.admin="createadmin admin"}), runs that {@link AdminCommands}
 * command once, writes its output to the file named by {@value #OUTPUT} (or standard output) and exits the JVM
 * with the command's exit code.
 * <p>
 * It waits until the framework has started and the deploy folder's configurations had a moment to apply, so a
 * PostgreSQL configuration in {@code deploy/io.metalforge.db.cfg} is in force before the command touches the
 * database. The embedded database is shared with a running appliance through H2's auto-server.
 */
@Component(immediate = true)
public class AdminCommandLine {

    static final String COMMAND = "metalforge.admin";
    static final String OUTPUT = "metalforge.admin.output";
    static final long SETTLE_MILLIS = 1500;
    static final long PATIENCE_MILLIS = 60_000;

    @Activate
    public AdminCommandLine(BundleContext context) {
        String command = context.getProperty(COMMAND);
        if (command == null || command.isBlank()) {
            return;
        }
        Thread runner = new Thread(() -> {
            AdminCommands.Result result = run(context, split(command));
            write(context.getProperty(OUTPUT), result);
            // System.exit runs the launcher's shutdown hook, which stops the framework cleanly.
            System.exit(result.exitCode());
        }, "metalforge-admin");
        runner.setDaemon(true);
        runner.start();
    }

    private static AdminCommands.Result run(BundleContext context, List<String> args) {
        try {
            long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
            Bundle framework = context.getBundle(0);
            while (framework.getState() != Bundle.ACTIVE && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(SETTLE_MILLIS);
            while (System.currentTimeMillis() < deadline) {
                ServiceReference<UserStore> ref = context.getServiceReference(UserStore.class);
                UserStore store = ref == null ? null : context.getService(ref);
                if (store != null) {
                    try {
                        return new AdminCommands(store).run(args);
                    } finally {
                        context.ungetService(ref);
                    }
                }
                Thread.sleep(100);
            }
            return new AdminCommands.Result(1, "the user store did not start within " + PATIENCE_MILLIS / 1000
                    + " s (is the database reachable?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AdminCommands.Result(1, "interrupted");
        }
    }

    private static void write(String output, AdminCommands.Result result) {
        try {
            if (output != null && !output.isBlank()) {
                Files.writeString(Path.of(output), result.output() + "\n", StandardCharsets.UTF_8);
            } else {
                System.out.println(result.output());
            }
        } catch (IOException e) {
            System.err.println("cannot write " + output + ": " + e.getMessage());
        }
    }

    static List<String> split(String command) {
        return Arrays.stream(command.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
