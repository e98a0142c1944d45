package io.metalforge.metadata.internal;

import java.util.List;

import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.MachineService;
import io.metalforge.api.machine.NodeDeployment;

/**
 * A route of the metadata service (relative to /MAAS/metadata/). Registered with {@code metalforge.api=metadata} so
 * the http bundle's metadata servlet serves it with node-token OAuth; the node is the one the token belongs to.
 */
abstract class MetadataHandler implements ApiHandler {

    /** The service property that puts a handler under /MAAS/metadata/. */
    static final String PROPERTY = "metalforge.api=metadata";
    static final String OCTETS = "application/octet-stream";

    protected final MachineService machines;
    private final String name;
    private final String path;
    private final List<ApiAction> actions;

    MetadataHandler(MachineService machines, String name, String path, List<ApiAction> actions) {
        this.machines = machines;
        this.name = name;
        this.path = path;
        this.actions = List.copyOf(actions);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String doc() {
        return "Metadata service: " + path;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<ApiAction> actions() {
        return actions;
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

    static ApiResponse octets(byte[] body) {
        return new ApiResponse(200, OCTETS, body, -1, java.util.Map.of());
    }

    static ApiResponse text(String body) {
        return ApiResponse.text(200, body);
    }
}
