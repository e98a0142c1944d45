package io.metalforge.metadata.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.MachineService;
import io.metalforge.api.machine.NodeStatus;

/**
 * {@code <version>/by-id/<system_id>/}: anonymous, as in MAAS. {@code ?op=get_preseed} is the cloud-config named by
 * the kernel command line's {@code cloud-config-url} (the MAAS datasource with the node token); POST
 * {@code op=netboot_off} is what curtin's late command sends, so the next network boot boots the local disk.
 */
@Component(service = ApiHandler.class, property = MetadataHandler.PROPERTY)
public class PreseedHandler extends MetadataHandler {

    static final ApiAction GET_PRESEED = ApiAction.op("GET", "get_preseed", "The node's preseed.", Access.ANONYMOUS);
    static final ApiAction NETBOOT_OFF = ApiAction.op("POST", "netboot_off", "Turn network boot off.",
            Access.ANONYMOUS);

    @Activate
    public PreseedHandler(@Reference MachineService machines) {
        super(machines, "MetadataByIdHandler", "{version}/by-id/{system_id}/", List.of(GET_PRESEED, NETBOOT_OFF));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
        String id = r.pathParameters().get("system_id");
        if (action.equals(NETBOOT_OFF)) {
            if (!machines.netbootOff(id)) {
                throw ApiException.notFound("No node with system_id " + id + ".");
            }
            return ApiResponse.ok();
        }
        MachineInfo m = machines.machine(id).orElseThrow(() -> ApiException.notFound("No node with system_id "
                + id + "."));
        return text(Documents.preseed(deployment(m), m.status() == NodeStatus.DEPLOYING));
    }
}
