package io.metalforge.platform.internal;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * Gogo: {@code exit} leaves the console and Metalforge keeps running, as when it is started with stdin closed.
 * Gogo's default profile maps {@code exit} to {@code System.exit(int)}, which stopped the whole appliance (and
 * {@code exit} alone was a coercion error). Registered in scope "gogo" because the shell's search path is
 * {@code gogo:*}: this one is found before that mapping, whatever order the other scopes come in.
 */
@Component(service = ExitCommand.class, property = { "osgi.command.scope=gogo", "osgi.command.function=exit" },
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class ExitCommand {

    static final String LEAVING = "Leaving the console; Metalforge keeps running. To stop it: stop 0";

    /**
     * Gogo's console ends its loop, without stopping anything, on exactly this exception; the platform starts the
     * shell with --noshutdown, so the framework stays up.
     */
    static final String SESSION_CLOSED = "session is closed";

    @Descriptor("Leave the console; Metalforge keeps running (to stop it: stop 0)")
    public void exit(CommandSession session) {
        session.getConsole().println(LEAVING);
        session.getConsole().flush();
        throw new IllegalStateException(SESSION_CLOSED);
    }

    @Descriptor("Leave the console; Metalforge keeps running (to stop it: stop 0)")
    public void exit(CommandSession session, @Descriptor("ignored: exit never stops Metalforge") String code) {
        exit(session);
    }
}
