package io.metalforge.machines.internal;

import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.machine.MachineEvent;

/**
 * Gogo: {@code metalforge:machines list|show <id>|deploy <id> [distro_series] [maas_url]|release <id>|events <id>}.
 * The shell acts as an administrator named "shell"; show prints the state and the last event, so an operator can
 * follow a deployment by running it again.
 */
@Component(service = MachinesCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=machines" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class MachinesCommand {

    static final String USAGE = "usage: machines list | show <system_id> | deploy <system_id> [distro_series] | "
            + "release <system_id> | events <system_id> [count]\n";
    static final ApiUser SHELL = new ApiUser("shell", true);

    private final MachineLifecycle machines;

    @Activate
    public MachinesCommand(@Reference MachineLifecycle machines) {
        this.machines = machines;
    }

    @Descriptor("list, show, deploy, release machines and show their events")
    public String machines(
            @Descriptor("list | show | deploy | release | events") String action,
            @Descriptor("system id, then for deploy an optional distro_series (ubuntu/noble, custom/<name>), for "
                    + "events an optional count") String... args) {
        try {
            return switch (action.toLowerCase(Locale.ROOT)) {
                case "list" -> list();
                case "show" -> show(arg(args, 0));
                case "deploy" -> {
                    String id = arg(args, 0);
                    machines.deploy(id, new MachineLifecycle.DeployRequest(null, args.length > 1 ? args[1] : null,
                            null, null, "http://localhost:5240"), SHELL);
                    yield show(id);
                }
                case "release" -> {
                    String id = arg(args, 0);
                    machines.release(id, SHELL);
                    yield show(id);
                }
                case "events" -> events(arg(args, 0), args.length > 1 ? Integer.parseInt(args[1]) : 20);
                default -> USAGE;
            };
        } catch (ApiException e) {
            return "error: " + e.getMessage() + "\n";
        } catch (NumberFormatException e) {
            return "error: the count must be a number\n" + USAGE;
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage() + "\n" + USAGE;
        }
    }

    /** Without arguments: the list. */
    @Descriptor("list machines")
    public String machines() {
        return machines("list");
    }

    private static String arg(String[] args, int i) {
        if (args == null || args.length <= i) {
            throw new IllegalArgumentException("a system id is needed");
        }
        return args[i];
    }

    private String list() throws ApiException {
        StringBuilder out = new StringBuilder(String.format("%-8s %-20s %-18s %-14s %s%n", "SYSTEM", "HOSTNAME",
                "STATUS", "ARCH", "OS"));
        for (MachineRow m : machines.rows()) {
            out.append(String.format("%-8s %-20s %-18s %-14s %s%n", m.systemId(), m.hostname(), m.status().label(),
                    m.architecture(), m.osystem().isEmpty() ? "-" : m.osystem() + "/" + m.distroSeries()));
        }
        return out.toString();
    }

    private String show(String id) throws ApiException {
        MachineRow m = machines.require(id);
        List<MachineEvent> last = machines.events(id, "DEBUG", 0, 0, 1);
        return "system_id: " + m.systemId() + "\nhostname: " + m.fqdn() + "\narchitecture: " + m.architecture()
                + "\nstatus: " + m.status().label() + " (" + m.status().code() + ")"
                + (m.statusMessage().isEmpty() ? "" : "\nstatus_message: " + m.statusMessage())
                + "\nowner: " + (m.owner().isEmpty() ? "-" : m.owner())
                + "\nimage: " + (m.osystem().isEmpty() ? "-" : m.osystem() + "/" + m.distroSeries())
                + "\nnetboot: " + m.netboot() + "\nmacs: " + String.join(", ", m.macs())
                + "\ninstaller files: " + String.join(", ", machines.installerFiles(id))
                + "\nlast event: " + (last.isEmpty() ? "-" : last.get(0).type() + ": " + last.get(0).description())
                + "\n";
    }

    private String events(String id, int count) throws ApiException {
        machines.require(id);
        StringBuilder out = new StringBuilder();
        List<MachineEvent> events = machines.events(id, "DEBUG", 0, 0, Math.max(1, Math.min(count, 1000)));
        for (int i = events.size() - 1; i >= 0; i--) {
            MachineEvent e = events.get(i);
            out.append(String.format("%s %-7s %-20s %s%n", e.created(), e.level(), e.type(), e.description()));
        }
        return out.toString();
    }
}
