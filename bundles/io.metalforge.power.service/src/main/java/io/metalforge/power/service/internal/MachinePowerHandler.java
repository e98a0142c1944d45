package io.metalforge.power.service.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 * The power part of MAAS's machine resource, {@code machines/{system_id}/}: {@code query_power_state},
 * {@code power_on}, {@code power_off}, {@code power_parameters} and an update (PUT) taking {@code power_type} and
 * {@code power_parameters_<name>} as MAAS does; {@code power_cycle} is a Metalforge addition. Secrets are never
 * returned. A power failure answers 503 with the BMC's message, as MAAS does.
 */
@Component(service = ApiHandler.class)
public class MachinePowerHandler implements ApiHandler {

    static final String PARAMETER_PREFIX = "power_parameters_";

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
    static final ApiAction UPDATE = ApiAction.crud("PUT",
            "Update a node's power settings.\n\n:param power_type: the power driver name\n"
                    + ":param power_parameters_{param}: a setting of the power driver\n",
            Access.ADMIN);

    private final PowerService power;

    @Activate
    public MachinePowerHandler(@Reference PowerService power) {
        this.power = power;
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
        return List.of(QUERY, ON, OFF, CYCLE, PARAMETERS, UPDATE);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        String id = request.pathParameters().getOrDefault("system_id", "");
        if (action.equals(UPDATE)) {
            return update(id, request);
        }
        BmcSettings bmc = power.bmc(id).orElseThrow(() -> ApiException.notFound("No Machine matches the given query."));
        if (action.equals(PARAMETERS)) {
            return ApiResponse.json(bmc.settings());
        }
        PowerOperation operation = action.equals(QUERY) ? PowerOperation.QUERY
                : action.equals(ON) ? PowerOperation.ON
                        : action.equals(OFF) ? PowerOperation.OFF
                                : action.equals(CYCLE) ? PowerOperation.CYCLE : null;
        if (operation == null) {
            throw ApiException.badRequest("unknown action " + action.name());
        }
        PowerState state = run(id, operation);
        if (operation == PowerOperation.QUERY) {
            return ApiResponse.json(Map.of("state", name(state)));
        }
        return ApiResponse.json(machine(bmc, state));
    }

    private PowerState run(String id, PowerOperation operation) throws ApiException {
        try {
            return power.perform(id, operation);
        } catch (PowerFailure e) {
            throw new ApiException(503, e.getMessage());
        } catch (ExtensionNotInstalledException e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    private ApiResponse update(String id, ApiRequest request) throws ApiException {
        String driver = request.parameter("power_type").orElse("");
        if (driver.isEmpty()) {
            throw ApiException.validation(Map.of("power_type", List.of("This field is required.")));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : request.parameters().entrySet()) {
            if (p.getKey().startsWith(PARAMETER_PREFIX) && !p.getValue().isEmpty()) {
                // multiple choices arrive as repeated parameters
                settings.put(p.getKey().substring(PARAMETER_PREFIX.length()), String.join(",", p.getValue()));
            }
        }
        try {
            power.setBmc(id, driver, settings);
        } catch (ExtensionNotInstalledException e) {
            throw ApiException.validation(Map.of("power_type", List.of(e.getMessage())));
        } catch (PowerFailure e) {
            // MAAS-style field errors: the form field the client sent, when the failure names one
            String field = e.field().map(f -> PARAMETER_PREFIX + f).orElse("power_parameters");
            throw ApiException.validation(Map.of(field, List.of(e.getMessage())));
        }
        return ApiResponse.json(machine(power.bmc(id).orElseThrow(), PowerState.UNKNOWN));
    }

    private static Map<String, Object> machine(BmcSettings bmc, PowerState state) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("system_id", bmc.machineId());
        machine.put("power_type", bmc.driver());
        machine.put("power_state", name(state));
        machine.put("resource_uri", "/MAAS/api/2.0/machines/" + bmc.machineId() + "/");
        return machine;
    }

    private static String name(PowerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
