package io.metalforge.power.service.internal;

import java.util.List;
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
import io.metalforge.api.power.PowerDriverRegistry;

/**
 * {@code GET rackcontrollers/?op=describe_power_types}: the installed power drivers with their settings, as MAAS
 * lists power types ({@code maas $PROFILE rack-controllers describe-power-types}).
 */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=RackControllersHandler",
                ApiHandler.PATH_PROPERTY + "=rackcontrollers/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class RackControllersPowerTypesHandler implements ApiHandler {

    static final ApiAction DESCRIBE = ApiAction.op("GET", "describe_power_types",
            "Query all of the rack controllers for power information.\n\n"
                    + "Returns the power drivers installed now, each with its settings schema.",
            Access.AUTHENTICATED);

    private final PowerDriverRegistry registry;

    @Activate
    public RackControllersPowerTypesHandler(@Reference PowerDriverRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "RackControllersHandler";
    }

    @Override
    public String doc() {
        return "Manage the collection of all rack controllers in MAAS.";
    }

    @Override
    public String path() {
        return "rackcontrollers/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(DESCRIBE);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        List<Map<String, Object>> types = registry.names().stream()
                .flatMap(name -> registry.find(name).stream())
                .map(driver -> PowerTypeSchema.of(driver.descriptor())).toList();
        return ApiResponse.json(types);
    }
}
