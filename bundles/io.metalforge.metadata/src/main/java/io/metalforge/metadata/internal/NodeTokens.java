package io.metalforge.metadata.internal;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.MachineService;
import io.metalforge.api.machine.NodeDeployment;

/** The node a metadata request speaks for: the one whose token signed it, and its deployment. */
final class NodeTokens {

    final MachineService machines;

    NodeTokens(MachineService machines) {
        this.machines = machines;
    }

    /** The machine whose node token signed the request; 401 for a key that is not a current node token. */
    MachineInfo node(ApiRequest r) throws ApiException {
        return r.tokenKey().flatMap(machines::machineForToken).orElseThrow(
                () -> new ApiException(401, "Authorization Error: not a node token of a current deployment."));
    }

    NodeDeployment deployment(MachineInfo m) throws ApiException {
        return machines.deployment(m.systemId())
                .orElseThrow(() -> ApiException.notFound("No deployment for node " + m.systemId() + "."));
    }
}
