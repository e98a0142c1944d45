package io.metalforge.api.machine;

import java.util.Map;

/**
 * Counts for metrics.
 *
 * @param byStatus             machines per state (every state present, zeros included)
 * @param deploymentsByResult  finished deployments since the database was created: "deployed", "failed", "aborted"
 * @param customImagesDeployed machines whose OS is "custom", in any state (MAAS's
 *                             {@code maas_custom_static_images_deployed})
 */
public record MachineStatistics(Map<NodeStatus, Long> byStatus, Map<String, Long> deploymentsByResult,
        long customImagesDeployed) {

    public MachineStatistics {
        byStatus = Map.copyOf(byStatus);
        deploymentsByResult = Map.copyOf(deploymentsByResult);
    }
}
