package io.metalforge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;

import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.platform.PlatformReady;

/**
 * Command-line mode for scripts without a console ({@code bin/metalforge-admin}): when the framework property
 * {@value #COMMAND} is set (e.g. {@code -Dmetalforge.admin="createadmin admin"}), runs that {@link AdminCommands}
 * command once, writes its output to the file named by {@value #OUTPUT} (or standard output) and its exit code to
 * the file named by {@value #STATUS}, then stops the framework, which ends the JVM.
 * <p>
 * It runs once the platform is ready ({@link PlatformReady}): every configuration of the deploy folder, a
 * PostgreSQL one in {@code deploy/io.metalforge.db.cfg} included, has then reached its component, so the command
 * uses the same database as the appliance. The embedded database is shared with a running appliance through H2's
 * auto-server.
 */
@Component(immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class AdminCommandLine {

    static final String COMMAND = "metalforge.admin";
    static final String OUTPUT = "metalforge.admin.output";
    static final String STATUS = "metalforge.admin.status";

    private final BundleContext context;
    private final UserStore users;
    private final PlatformExecutor executor;

    @Activate
    public AdminCommandLine(BundleContext context, @Reference UserStore users, @Reference PlatformReady ready,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor) {
        this.context = context;
        this.users = users;
        this.executor = executor;
    }

    @Activate
    void start() {
        String command = context.getProperty(COMMAND);
        if (command == null || command.isBlank()) {
            return;
        }
        executor.submit("admin-command", () -> {
            AdminCommands.Result result = new AdminCommands(users).run(split(command));
            write(context.getProperty(OUTPUT), result.output() + "\n");
            write(context.getProperty(STATUS), result.exitCode() + "\n");
            try {
                // the launcher ends the JVM once the framework has stopped
                context.getBundle(0).stop();
            } catch (BundleException e) {
                System.err.println("metalforge: cannot stop the framework: " + e.getMessage());
            }
        });
    }

    private static void write(String file, String text) {
        try {
            if (file != null && !file.isBlank()) {
                Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
            } else {
                System.out.print(text);
            }
        } catch (IOException e) {
            System.err.println("cannot write " + file + ": " + e.getMessage());
        }
    }

    static List<String> split(String command) {
        return Arrays.stream(command.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
