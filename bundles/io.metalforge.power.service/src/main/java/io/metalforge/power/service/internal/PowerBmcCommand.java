package io.metalforge.power.service.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.BmcSettings;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerService;

/**
 * Gogo: {@code metalforge:powerbmc <machine-id>} shows how a machine is powered (secrets left out);
 * {@code metalforge:powerbmc <machine-id> power_type=<driver> [name=value]...} sets it;
 * {@code metalforge:powerbmc <machine-id> --remove} forgets it.
 */
@Component(service = PowerBmcCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=powerbmc" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class PowerBmcCommand {

    static final String USAGE = "usage: powerbmc <machine-id> [--remove | power_type=<driver> [name=value]...]\n";

    private final PowerService power;

    @Activate
    public PowerBmcCommand(@Reference PowerService power) {
        this.power = power;
    }

    @Descriptor("Show, set or remove how a machine is powered")
    public String powerbmc(@Descriptor("<machine-id> [--remove | power_type=<driver> [name=value]...]") String... args) {
        return run(args);
    }

    String run(String... args) {
        if (args.length == 0) {
            return USAGE;
        }
        String machine = args[0];
        if (args.length == 1) {
            return power.bmc(machine).map(PowerBmcCommand::show)
                    .orElse("no BMC is set for machine '" + machine + "'\n");
        }
        if (args.length == 2 && args[1].equals("--remove")) {
            return power.removeBmc(machine) ? "removed\n" : "no BMC is set for machine '" + machine + "'\n";
        }
        BmcArguments bmc;
        try {
            bmc = BmcArguments.parse(args, 1);
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n" + USAGE;
        }
        try {
            power.setBmc(machine, bmc.driver(), bmc.settings());
            return show(power.bmc(machine).orElseThrow());
        } catch (PowerFailure | ExtensionNotInstalledException e) {
            return e.getMessage() + "\n";
        }
    }

    private static String show(BmcSettings bmc) {
        StringBuilder out = new StringBuilder(bmc.machineId()).append(": ").append(bmc.driver()).append('\n');
        bmc.settings().forEach((k, v) -> out.append("    ").append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }
}
