package io.metalforge.metadata.internal;

import java.util.List;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.NodeStatus;

/**
 * {@code <version>/by-id/<system_id>/}: anonymous, as in MAAS. {@code ?op=get_preseed} is the cloud-config named by
 * the kernel command line's {@code cloud-config-url} (the MAAS datasource with the node token); POST
 * {@code op=netboot_off} is what curtin's late command sends, so the next network boot boots the local disk.
 */
final class ByIdRequests {

    static final ApiAction GET_PRESEED = ApiAction.op("GET", "get_preseed", "The node's preseed.", Access.ANONYMOUS);
    static final ApiAction NETBOOT_OFF = ApiAction.op("POST", "netboot_off", "Turn network boot off.",
            Access.ANONYMOUS);

    static final List<ApiAction> ACTIONS = List.of(GET_PRESEED, NETBOOT_OFF);

    private final NodeTokens nodes;

    ByIdRequests(NodeTokens nodes) {
        this.nodes = nodes;
    }

    ApiResponse answer(ApiAction action, ApiRequest r) throws ApiException {
        String id = r.pathParameters().get("system_id");
        if (action.equals(NETBOOT_OFF)) {
            if (!nodes.machines.netbootOff(id)) {
                throw ApiException.notFound("No node with system_id " + id + ".");
            }
            return ApiResponse.ok();
        }
        MachineInfo m = nodes.machines.machine(id).orElseThrow(() -> ApiException.notFound("No node with system_id "
                + id + "."));
        return MetadataRoute.text(Documents.preseed(nodes.deployment(m), m.status() == NodeStatus.DEPLOYING));
    }
}
