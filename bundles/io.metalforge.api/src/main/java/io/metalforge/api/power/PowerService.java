package io.metalforge.api.power;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.osgi.annotation.versioning.ProviderType;

import io.metalforge.api.platform.ExtensionNotInstalledException;

/**
 * The platform's power service: BMC settings per machine and power operations driven through the installed
 * {@link PowerDriver}s with MAAS's wait-and-query behaviour.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>Operations run on a bounded pool; many BMCs are driven at once, but never two operations at once on one BMC
 * (operations on the same BMC run one after the other, in submission order).</li>
 * <li>Every operation completes within the service's operation timeout.</li>
 * <li>A returned future fails with {@link PowerFailure} (typed as the driver reported it, or "Failed to power
 * &lt;id&gt;. BMC never transitioned from &lt;s&gt; to &lt;target&gt;." when the state never changed), or with
 * {@link ExtensionNotInstalledException} when the machine's driver is not installed at that moment.</li>
 * <li>Results are the state the BMC reported last; {@link PowerState#UNKNOWN} when it was not queried (reset,
 * PXE-once, drivers that cannot query).</li>
 * <li>Settings are validated against the driver's descriptor; secret values are never logged nor returned.</li>
 * </ul>
 */
@ProviderType
public interface PowerService {

    /**
     * Sets (replaces) how a machine is powered, after checking the settings against the driver's schema.
     *
     * @throws PowerFailure                   of kind {@link PowerFailure.Kind#SETTING} for invalid settings
     * @throws ExtensionNotInstalledException when the driver is not installed
     */
    void setBmc(String machineId, String driver, Map<String, String> settings) throws PowerFailure;

    /** How a machine is powered, with secret values left out. */
    Optional<BmcSettings> bmc(String machineId);

    /** Forgets how a machine is powered; whether it was known. */
    boolean removeBmc(String machineId);

    /** Starts an operation on a known machine. */
    CompletableFuture<PowerState> submit(String machineId, PowerOperation operation);

    /**
     * Starts an operation on a BMC given by driver and settings (not stored), named {@code label} in messages.
     */
    CompletableFuture<PowerState> submit(String label, String driver, Map<String, String> settings,
            PowerOperation operation);

    /** Runs an operation on a known machine and waits for its result. */
    default PowerState perform(String machineId, PowerOperation operation) throws PowerFailure {
        return await(submit(machineId, operation));
    }

    /**
     * Waits for a submitted operation and unwraps its failure: a {@link PowerFailure} is thrown as it is, an
     * {@link ExtensionNotInstalledException} or other runtime exception is rethrown.
     */
    static PowerState await(CompletableFuture<PowerState> operation) throws PowerFailure {
        try {
            return operation.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            operation.cancel(true);
            throw new PowerFailure(PowerFailure.Kind.ACTION, "interrupted while waiting for the BMC", e);
        } catch (CancellationException e) {
            throw new PowerFailure(PowerFailure.Kind.ACTION, "the power operation was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PowerFailure failure) {
                throw failure;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new PowerFailure(PowerFailure.Kind.ACTION, String.valueOf(cause), cause);
        }
    }
}
