package io.metalforge.api.machine;

import java.util.Objects;

import io.metalforge.api.deploy.DeploymentConfig;

/**
 * What the metadata service serves a machine during its current deployment.
 *
 * @param machine     the machine
 * @param serverUrl   the region URL the machine reaches, ending in "/MAAS/"
 * @param consumerKey the node token's OAuth consumer key
 * @param tokenKey    the node token's key
 * @param tokenSecret the node token's secret (only ever written into this machine's own documents)
 * @param config      the documents composed for this machine and image
 * @param userData    the user data given at deploy time for the installed system (may be empty)
 */
public record NodeDeployment(MachineInfo machine, String serverUrl, String consumerKey, String tokenKey,
        String tokenSecret, DeploymentConfig config, byte[] userData) {

    public NodeDeployment {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(config, "config");
        userData = userData == null ? new byte[0] : userData.clone();
    }

    @Override
    public byte[] userData() {
        return userData.clone();
    }

    /** Hides the token secret (records print every component). */
    @Override
    public String toString() {
        return "NodeDeployment[" + machine.systemId() + ", tokenKey=" + tokenKey + ", tokenSecret=<hidden>]";
    }
}
