package io.metalforge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Command-line mode for scripts without a console ({@code bin/metalforge-admin}): when the framework property
 * {@value #COMMAND} is set (e.g. {@code -Dmetalforge.admin="createadmin admin"}), runs that {@link AdminCommands}
 * command once, writes its output to the file named by {@value #OUTPUT} (or standard output) and exits the JVM
 * with the command's exit code. The embedded database is shared with a running appliance through H2's
 * auto-server.
 */
@Component(immediate = true)
public class AdminCommandLine {

    static final String COMMAND = "metalforge.admin";
    static final String OUTPUT = "metalforge.admin.output";

    @Activate
    public AdminCommandLine(BundleContext context, @Reference UserStore users) {
        String command = context.getProperty(COMMAND);
        if (command == null || command.isBlank()) {
            return;
        }
        AdminCommands.Result result = new AdminCommands(users).run(split(command));
        String output = context.getProperty(OUTPUT);
        try {
            if (output != null && !output.isBlank()) {
                Files.writeString(Path.of(output), result.output() + "\n", StandardCharsets.UTF_8);
            } else {
                System.out.println(result.output());
            }
        } catch (IOException e) {
            System.err.println("cannot write " + output + ": " + e.getMessage());
        }
        // Exit from another thread: System.exit runs the launcher's shutdown hook, which stops the framework and
        // would wait for this activation to finish.
        Thread exit = new Thread(() -> System.exit(result.exitCode()), "metalforge-admin-exit");
        exit.start();
    }

    static List<String> split(String command) {
        return Arrays.stream(command.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
