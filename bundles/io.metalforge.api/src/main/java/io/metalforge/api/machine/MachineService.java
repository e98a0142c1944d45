package io.metalforge.api.machine;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Machines and their deployments, as the metadata service, metrics and other bundles read and move them. Provided
 * by the machines bundle; every transition is persisted and safe under concurrent calls from several regions.
 */
@ProviderType
public interface MachineService {

    /** Every machine, by host name. */
    List<MachineInfo> machines();

    Optional<MachineInfo> machine(String systemId);

    /** The machine whose current deployment holds this node token key, if any. */
    Optional<MachineInfo> machineForToken(String tokenKey);

    /**
     * The documents of the machine's current deployment, composed now from its image and hardware; empty when the
     * machine has no deployment (not Deploying, Deployed or Failed deployment).
     */
    Optional<NodeDeployment> deployment(String systemId);

    /** The installer turned network boot off (its next boot is local); whether the machine exists. */
    boolean netbootOff(String systemId);

    /**
     * Records an installer report as an event; a {@linkplain InstallerEvent#topLevelFailure() top-level failure}
     * while Deploying makes the machine Failed deployment with the description as status message, and its files are
     * kept (bounded).
     *
     * @return whether the machine exists
     */
    boolean installerEvent(String systemId, InstallerEvent event);

    /**
     * The installed system asked for its user data (MAAS's end of deployment): a Deploying machine becomes
     * Deployed and its image's {@code last_deployed} is set. Whether it changed state.
     */
    boolean installedSystemStarted(String systemId);

    /**
     * Events, newest first.
     *
     * @param systemId only this machine's, or null for all
     * @param minLevel only this level and above (DEBUG &lt; INFO &lt; WARNING &lt; ERROR), or null
     * @param after    only events with a larger id, or 0
     * @param before   only events with a smaller id, or 0 for no bound
     * @param limit    at most this many
     */
    List<MachineEvent> events(String systemId, String minLevel, long after, long before, int limit);

    MachineStatistics statistics();
}
