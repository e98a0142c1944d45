package io.metalforge.api.deploy;

import java.util.Objects;

/**
 * Region-wide settings that go into a deployment's documents.
 *
 * @param serverUrl          region URL as machines reach it, e.g. "http://10.0.0.2:5240/MAAS/"
 * @param bootServerHost     rack (boot cluster) address serving images on port 5248
 * @param consumerKey        OAuth consumer key of the machine's token
 * @param tokenKey           OAuth token key
 * @param tokenSecret        OAuth token secret (a secret: only ever written into the machine's own documents)
 * @param httpProxy          HTTP proxy for the installer, or null
 * @param commissioningOs    OS of the commissioning (ephemeral) environment, normally "ubuntu"
 * @param commissioningRelease release of the commissioning environment, e.g. "noble"
 * @param forceV1Network     always emit network config v1
 * @param curtinVerbose      make the installer verbose
 * @param kernelCrashDumps   enable kernel crash dumps
 * @param licenceKey         licence key for OSes that need one (Windows), or null
 */
public record DeploySettings(String serverUrl, String bootServerHost, String consumerKey, String tokenKey,
        String tokenSecret, String httpProxy, String commissioningOs, String commissioningRelease,
        boolean forceV1Network, boolean curtinVerbose, boolean kernelCrashDumps, String licenceKey) {

    public DeploySettings {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(bootServerHost, "bootServerHost");
        serverUrl = serverUrl.endsWith("/") ? serverUrl : serverUrl + "/";
        consumerKey = consumerKey == null ? "" : consumerKey;
        tokenKey = tokenKey == null ? "" : tokenKey;
        tokenSecret = tokenSecret == null ? "" : tokenSecret;
        commissioningOs = commissioningOs == null || commissioningOs.isBlank() ? "ubuntu" : commissioningOs;
        commissioningRelease = commissioningRelease == null || commissioningRelease.isBlank() ? "noble"
                : commissioningRelease;
    }

    /** Settings for a preview: placeholder credentials, nothing secret. */
    public static DeploySettings preview(String serverUrl, String bootServerHost) {
        return new DeploySettings(serverUrl, bootServerHost, "CONSUMER_KEY", "TOKEN_KEY", "TOKEN_SECRET", null,
                null, null, false, false, false, null);
    }

    /** A copy carrying a licence key. */
    public DeploySettings withLicenceKey(String key) {
        return new DeploySettings(serverUrl, bootServerHost, consumerKey, tokenKey, tokenSecret, httpProxy,
                commissioningOs, commissioningRelease, forceV1Network, curtinVerbose, kernelCrashDumps, key);
    }

    /** Hides the token secret in string forms (records print every component). */
    @Override
    public String toString() {
        return "DeploySettings[serverUrl=" + serverUrl + ", bootServerHost=" + bootServerHost + ", tokenKey="
                + tokenKey + ", tokenSecret=<hidden>]";
    }
}
