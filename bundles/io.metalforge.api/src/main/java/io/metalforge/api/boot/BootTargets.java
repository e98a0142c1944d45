package io.metalforge.api.boot;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Looks up what a netbooting machine should boot. Provided by the machines bundle; called by the boot servers on
 * every boot config request, so implementations answer from memory or one indexed query.
 */
@ProviderType
public interface BootTargets {

    /**
     * The boot target of the machine that has an interface with this MAC (any case, ':' or '-' separated), or
     * empty when no machine has it: the boot server then answers 404 so the firmware tries its next option.
     */
    Optional<BootTarget> forMac(String mac);

    /** The boot target of the machine with this system id, or empty when there is none. */
    Optional<BootTarget> forSystemId(String systemId);
}
