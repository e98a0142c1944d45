package io.metalforge.power.service.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;

/**
 * Gogo: {@code metalforge:power <query|on|off|cycle|reset|pxe-once> power_type=<driver> name=value...} runs one
 * operation on a BMC given on the command line; {@code metalforge:power <operation> <machine-id>} runs it on a
 * machine whose BMC is set.
 */
@Component(service = PowerCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=power" })
public class PowerCommand {

    static final String USAGE = "usage: power <query|on|off|cycle|reset|pxe-once> (<machine-id> | "
            + "power_type=<driver> [name=value]...)\n";

    private final PowerService power;

    @Activate
    public PowerCommand(@Reference PowerService power) {
        this.power = power;
    }

    @Descriptor("Run a power operation on a machine or on a BMC given on the command line")
    public String power(@Descriptor("<query|on|off|cycle|reset|pxe-once> (<machine-id> | power_type=<driver> "
            + "[name=value]...)") String... args) {
        if (args.length < 2) {
            return USAGE;
        }
        PowerOperation operation = PowerOperation.parse(args[0]).orElse(null);
        if (operation == null) {
            return "unknown operation '" + args[0] + "'\n" + USAGE;
        }
        try {
            PowerState state;
            String target;
            if (args.length == 2 && !args[1].contains("=")) {
                target = args[1];
                state = power.perform(target, operation);
            } else {
                Map<String, String> settings = new LinkedHashMap<>();
                for (int i = 1; i < args.length; i++) {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        return "expected name=value, not '" + args[i] + "'\n" + USAGE;
                    }
                    settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
                }
                String driver = settings.remove("power_type");
                if (driver == null || driver.isEmpty()) {
                    return "power_type=<driver> is required; see powerdrivers\n";
                }
                target = "shell";
                state = PowerService.await(power.submit(target, driver, settings, operation));
            }
            return operation.label() + " " + target + ": " + state.name().toLowerCase(Locale.ROOT) + "\n";
        } catch (PowerFailure | ExtensionNotInstalledException e) {
            return e.getMessage() + "\n";
        }
    }
}
