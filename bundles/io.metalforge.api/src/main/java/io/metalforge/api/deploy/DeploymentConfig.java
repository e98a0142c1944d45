package io.metalforge.api.deploy;

import java.util.List;
import java.util.Objects;

/**
 * Everything composed for one deployment.
 *
 * @param ephemeralOs      OS of the environment the machine boots to install from (always Ubuntu unless deploying
 *                         to memory)
 * @param ephemeralRelease release of that environment
 * @param sourceUrl        the curtin source, with its prefix ("cp:///media/root-ro", plain URL or "dd-xz:http://…")
 * @param networkVersion   1 or 2
 * @param documents        curtin documents in merge order, then the cloud-configs and the netplan file (if v2)
 * @param warnings         operator-facing notes (for example unsupported custom networking)
 */
public record DeploymentConfig(String ephemeralOs, String ephemeralRelease, String sourceUrl, int networkVersion,
        List<ConfigDocument> documents, List<String> warnings) {

    public DeploymentConfig {
        Objects.requireNonNull(ephemeralOs, "ephemeralOs");
        Objects.requireNonNull(ephemeralRelease, "ephemeralRelease");
        documents = List.copyOf(documents);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** The documents of one kind, in order. */
    public List<ConfigDocument> documents(ConfigDocument.Kind kind) {
        return documents.stream().filter(d -> d.kind() == kind).toList();
    }
}
