package io.metalforge.power.service.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;

/**
 * Gogo: {@code metalforge:power <query|on|off|cycle|reset|pxe-once> power_type=<driver> name=value...} runs one
 * operation on a BMC given on the command line; {@code metalforge:power <operation> <machine-id>} runs it on a
 * machine whose BMC is set. While the BMC has not answered, a line every few seconds says how long it has been and
 * when the service gives up; Ctrl-C (Gogo interrupts the command's thread) cancels the wait and the operation.
 */
@Component(service = PowerCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=power" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class PowerCommand {

    static final String USAGE = "usage: power <query|on|off|cycle|reset|pxe-once> (<machine-id> | "
            + "power_type=<driver> [name=value]...)\n";

    /** How often a waiting command says it is still waiting. */
    static final long PROGRESS_EVERY_MS = 3000;

    private final PowerService power;
    private final long progressEveryMillis;

    @Activate
    public PowerCommand(@Reference PowerService power) {
        this(power, PROGRESS_EVERY_MS);
    }

    PowerCommand(PowerService power, long progressEveryMillis) {
        this.power = power;
        this.progressEveryMillis = progressEveryMillis;
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
            CompletableFuture<PowerState> running;
            String target;
            if (args.length == 2 && !args[1].contains("=")) {
                target = args[1];
                running = power.submit(target, operation);
            } else {
                BmcArguments bmc;
                try {
                    bmc = BmcArguments.parse(args, 1);
                } catch (IllegalArgumentException e) {
                    return e.getMessage() + "\n" + USAGE;
                }
                target = "shell";
                running = power.submit(target, bmc.driver(), bmc.settings(), operation);
            }
            String what = operation.label() + " " + target;
            PowerState state = awaitShowingProgress(running, what, System.out);
            if (state == null) {
                return what + ": cancelled\n";
            }
            return what + ": " + state.name().toLowerCase(Locale.ROOT) + "\n";
        } catch (PowerFailure | ExtensionNotInstalledException e) {
            return e.getMessage() + "\n";
        }
    }

    /**
     * The operation's result, printing a line every {@link #progressEveryMillis} while it runs; null when the
     * command's thread was interrupted (Ctrl-C), after cancelling the operation.
     */
    private PowerState awaitShowingProgress(CompletableFuture<PowerState> running, String what, PrintStream out)
            throws PowerFailure {
        long start = System.nanoTime();
        while (true) {
            try {
                running.get(progressEveryMillis, TimeUnit.MILLISECONDS);
                return PowerService.await(running);
            } catch (TimeoutException stillRunning) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                out.println(what + ": waiting for the BMC, " + seconds + " s (Ctrl-C cancels)");
                out.flush();
            } catch (InterruptedException ctrlC) {
                running.cancel(true);
                // the interrupt is consumed here: the shell goes on with its next command
                return null;
            } catch (ExecutionException failed) {
                return PowerService.await(running);
            }
        }
    }
}
