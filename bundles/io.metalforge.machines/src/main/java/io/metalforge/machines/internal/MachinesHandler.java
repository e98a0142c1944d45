package io.metalforge.machines.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.NodeStatus;
import io.metalforge.api.power.PowerService;

/**
 * MAAS's {@code machines/}: read with MAAS's filters (hostname, mac_address, status, id; repeated values match
 * any), create (admin), {@code ?op=allocate} and the bulk {@code ?op=release} gomaasapi uses.
 */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=MachinesHandler",
                ApiHandler.PATH_PROPERTY + "=machines/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class MachinesHandler implements ApiHandler {

    static final ApiAction READ = ApiAction.crud("GET", """
            List machines.

            :param hostname: only machines with this host name (repeatable)
            :param mac_address: only machines with this MAC address (repeatable)
            :param id: only machines with this system id (repeatable)
            :param status: only machines in this state, e.g. ready, deployed, failed_deployment
            """, Access.AUTHENTICATED);
    static final ApiAction CREATE = ApiAction.crud("POST", """
            Create a new machine.

            It starts New; mark_ready makes it Ready until commissioning exists.

            :param architecture: arch or arch/subarch, e.g. amd64 or amd64/generic (required)
            :param mac_addresses: MAC addresses, the boot interface's first (required, repeatable)
            :param hostname: host name (default node-<system_id>)
            :param domain: DNS domain (default maas)
            :param power_type: the power driver, e.g. ipmi, redfish, webhook, manual
            :param power_parameters_{param}: a setting of the power driver
            :param hardware: disks, interfaces, storage layout as JSON in the deployment preview's machine format
            :param kernel_opts: kernel options added for this machine's boots
            """, Access.ADMIN);
    static final ApiAction ALLOCATE = ApiAction.op("POST", "allocate", """
            Allocate a Ready machine to the caller.

            :param name: host name (or fqdn) of the wanted machine
            :param system_id: system id of the wanted machine
            :param arch: architecture, e.g. amd64 or amd64/generic
            """, Access.AUTHENTICATED);
    static final ApiAction RELEASE = ApiAction.op("POST", "release", """
            Release machines.

            :param machines: system ids of the machines to release (repeatable)
            """, Access.AUTHENTICATED);

    private final MachineLifecycle machines;
    private final PowerService power;

    @Activate
    public MachinesHandler(@Reference MachineLifecycle machines) {
        this.machines = machines;
        this.power = machines.power();
    }

    @Override
    public String name() {
        return "MachinesHandler";
    }

    @Override
    public String doc() {
        return "Manage the collection of all the machines in the MAAS.";
    }

    @Override
    public String path() {
        return "machines/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(READ, CREATE, ALLOCATE, RELEASE);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        if (action.equals(READ)) {
            return ApiResponse.json(list(request));
        }
        if (action.equals(CREATE)) {
            MachineRow row = machines.create(MachineRequests.changes(request), request.user());
            try {
                MachineRequests.power(power, row.systemId(), request);
            } catch (ApiException e) {
                machines.delete(row.systemId(), request.user()); // nothing half-made stays
                throw e;
            }
            return ApiResponse.json(MachineItemHandler.json(machines, machines.require(row.systemId())));
        }
        if (action.equals(ALLOCATE)) {
            MachineRow row = machines.allocate(MachineRequests.optional(request, "name"),
                    MachineRequests.optional(request, "system_id"), MachineRequests.optional(request, "arch"),
                    request.user());
            Map<String, Object> json = new java.util.LinkedHashMap<>(MachineItemHandler.json(machines, row));
            json.put("constraints_by_type", Map.of()); // MAAS's answer carries it; gomaasapi requires it
            return ApiResponse.json(json);
        }
        if (action.equals(RELEASE)) {
            List<String> ids = request.parameters().getOrDefault("machines", List.of());
            if (ids.isEmpty()) {
                throw ApiException.badRequest("No machines given.");
            }
            List<String> released = new ArrayList<>();
            for (String id : ids) {
                machines.release(id, request.user());
                released.add(id);
            }
            return ApiResponse.json(released);
        }
        throw ApiException.badRequest("Unrecognised signature: method=" + action.method() + " op=" + action.op());
    }

    private List<Map<String, Object>> list(ApiRequest r) throws ApiException {
        List<String> hostnames = r.parameters().getOrDefault("hostname", List.of());
        List<String> macs = new ArrayList<>();
        for (String mac : r.parameters().getOrDefault("mac_address", List.of())) {
            try {
                macs.add(Hardware.mac(mac));
            } catch (IllegalArgumentException e) {
                throw ApiException.validation(Map.of("mac_address", List.of(e.getMessage())));
            }
        }
        List<String> ids = r.parameters().getOrDefault("id", List.of());
        Optional<NodeStatus> status = Optional.empty();
        Optional<String> statusText = MachineRequests.optional(r, "status") == null ? Optional.empty()
                : r.parameter("status");
        if (statusText.isPresent()) {
            status = NodeStatus.parse(statusText.get());
            if (status.isEmpty()) {
                throw ApiException.validation(Map.of("status", List.of("'" + ImageChoice.printable(statusText.get())
                        + "' is not a valid status.")));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (MachineRow m : machines.rows()) {
            if (!hostnames.isEmpty() && !hostnames.contains(m.hostname())) {
                continue;
            }
            if (!macs.isEmpty() && m.macs().stream().noneMatch(macs::contains)) {
                continue;
            }
            if (!ids.isEmpty() && !ids.contains(m.systemId())) {
                continue;
            }
            if (status.isPresent() && m.status() != status.get()) {
                continue;
            }
            out.add(MachineItemHandler.json(machines, m));
        }
        return out;
    }
}
