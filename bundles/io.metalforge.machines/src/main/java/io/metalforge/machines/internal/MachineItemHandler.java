package io.metalforge.machines.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.BmcSettings;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;

/**
 * MAAS's {@code machines/{system_id}/}: read, update (admin; also the power settings: {@code power_type} and
 * {@code power_parameters_<name>}), delete (admin), the lifecycle operations (mark_ready, deploy, release, abort)
 * and the power operations (query_power_state, power_on, power_off, power_parameters; power_cycle is a Metalforge
 * addition). Secrets are never returned; a power failure answers 503 with the BMC's message, as MAAS does.
 */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=MachineHandler",
                ApiHandler.PATH_PROPERTY + "=machines/{system_id}/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class MachineItemHandler implements ApiHandler {

    static final ApiAction READ = ApiAction.crud("GET", "Read a machine.", Access.AUTHENTICATED);
    static final ApiAction UPDATE = ApiAction.crud("PUT", """
            Update a machine.

            :param hostname: host name
            :param domain: DNS domain
            :param architecture: arch/subarch
            :param mac_addresses: MAC addresses, the boot interface's first (repeatable)
            :param power_type: the power driver name
            :param power_parameters_{param}: a setting of the power driver
            :param hardware: disks, interfaces, storage layout as JSON in the deployment preview's machine format
            :param kernel_opts: kernel options added for this machine's boots
            """, Access.ADMIN);
    static final ApiAction DELETE = ApiAction.crud("DELETE", "Delete a machine.", Access.ADMIN);
    static final ApiAction MARK_READY = ApiAction.op("POST", "mark_ready",
            "Mark a machine Ready.\n\nFrom New (until commissioning exists).", Access.ADMIN);
    static final ApiAction DEPLOY = ApiAction.op("POST", "deploy", """
            Deploy an operating system to a machine.

            A Ready machine is allocated to the caller first.

            :param distro_series: ubuntu/noble, noble or custom/<name>
            :param osystem: the OS when distro_series has none (default ubuntu)
            :param user_data: base64 user data for the installed system
            :param hwe_kernel: the kernel to install (recorded)
            """, Access.AUTHENTICATED);
    static final ApiAction RELEASE = ApiAction.op("POST", "release",
            "Release a machine.\n\nPowers it off, forgets its deployment and owner: back to Ready.",
            Access.AUTHENTICATED);
    static final ApiAction ABORT = ApiAction.op("POST", "abort",
            "Abort a machine's current deployment.\n\nBack to Allocated, powered off.", Access.AUTHENTICATED);
    static final ApiAction QUERY = ApiAction.op("GET", "query_power_state",
            "Query the power state of a node.\n\nAsks the BMC and returns {\"state\": on|off|unknown|error}.",
            Access.AUTHENTICATED);
    static final ApiAction ON = ApiAction.op("POST", "power_on",
            "Turn on a node.\n\nSets a one-time network boot where the driver can, powers on and waits for the "
                    + "BMC to report on.",
            Access.ADMIN);
    static final ApiAction OFF = ApiAction.op("POST", "power_off",
            "Power off a node.\n\nPowers off and waits for the BMC to report off.", Access.ADMIN);
    static final ApiAction CYCLE = ApiAction.op("POST", "power_cycle",
            "Power cycle a node.\n\nPowers off when on, then on.", Access.ADMIN);
    static final ApiAction PARAMETERS = ApiAction.op("GET", "power_parameters",
            "Get power parameters.\n\nThe node's power settings, without secret values.", Access.ADMIN);

    private final MachineLifecycle machines;
    private final PowerService power;

    @Activate
    public MachineItemHandler(@Reference MachineLifecycle machines) {
        this.machines = machines;
        this.power = machines.power();
    }

    @Override
    public String name() {
        return "MachineHandler";
    }

    @Override
    public String doc() {
        return "Manage an individual machine.";
    }

    @Override
    public String path() {
        return "machines/{system_id}/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(READ, UPDATE, DELETE, MARK_READY, DEPLOY, RELEASE, ABORT, QUERY, ON, OFF, CYCLE, PARAMETERS);
    }

    static Map<String, Object> json(MachineLifecycle machines, MachineRow row) {
        BmcSettings bmc = machines.power().bmc(row.systemId()).orElse(null);
        return MachineJson.of(row, bmc, PowerState.UNKNOWN);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        String id = request.pathParameters().getOrDefault("system_id", "");
        MachineRow row = machines.require(id); // 404 first, for every action (PUT on an unknown machine too)
        if (action.equals(READ)) {
            return ApiResponse.json(json(machines, row));
        }
        if (action.equals(UPDATE)) {
            MachineRequests.power(power, id, request);
            return ApiResponse.json(json(machines, machines.update(id, MachineRequests.changes(request))));
        }
        if (action.equals(DELETE)) {
            machines.delete(id, request.user());
            return ApiResponse.deleted();
        }
        if (action.equals(MARK_READY)) {
            return ApiResponse.json(json(machines, machines.markReady(id, request.user())));
        }
        if (action.equals(DEPLOY)) {
            String origin = request.baseUrl().substring(0, request.baseUrl().indexOf("/MAAS/"));
            return ApiResponse.json(json(machines, machines.deploy(id, new MachineLifecycle.DeployRequest(
                    MachineRequests.optional(request, "osystem"), MachineRequests.optional(request, "distro_series"),
                    MachineRequests.optional(request, "user_data"), MachineRequests.optional(request, "hwe_kernel"),
                    origin), request.user())));
        }
        if (action.equals(RELEASE)) {
            return ApiResponse.json(json(machines, machines.release(id, request.user())));
        }
        if (action.equals(ABORT)) {
            return ApiResponse.json(json(machines, machines.abort(id, request.user())));
        }
        BmcSettings bmc = power.bmc(id).orElseThrow(() -> new ApiException(503,
                "No power type is set for machine " + row.hostname() + "."));
        if (action.equals(PARAMETERS)) {
            return ApiResponse.json(bmc.settings());
        }
        PowerOperation operation = action.equals(QUERY) ? PowerOperation.QUERY
                : action.equals(ON) ? PowerOperation.ON
                        : action.equals(OFF) ? PowerOperation.OFF : action.equals(CYCLE) ? PowerOperation.CYCLE : null;
        if (operation == null) {
            throw ApiException.badRequest("Unrecognised signature: method=" + action.method() + " op=" + action.op());
        }
        PowerState state;
        try {
            state = power.perform(id, operation);
        } catch (PowerFailure | ExtensionNotInstalledException e) {
            throw new ApiException(503, e.getMessage());
        }
        if (operation == PowerOperation.QUERY) {
            return ApiResponse.json(Map.of("state", state.name().toLowerCase(Locale.ROOT)));
        }
        return ApiResponse.json(MachineJson.of(machines.require(id), bmc, state));
    }
}
