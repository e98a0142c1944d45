package io.metalforge.simplestreams.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

/**
 * {@code boot-resources/}: the synced boot resources, and the import operations (import, stop_import,
 * is_importing, plus import_progress with bytes, rate and ETA).
 */
@Component(service = ApiHandler.class)
public class BootResourcesHandler implements ApiHandler {

    private final SimpleStreamsService service;

    @Activate
    public BootResourcesHandler(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "BootResourcesHandler";
    }

    @Override
    public String doc() {
        return "Manage the boot resources.";
    }

    @Override
    public String path() {
        return "boot-resources/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(
                ApiAction.crud("GET", "List all boot resources.\n\n:param type: Type of boot resources to list: "
                        + "all, synced or uploaded.\n:type type: unicode\n", Access.AUTHENTICATED),
                ApiAction.op("POST", "import", "Import the boot resources.", Access.ADMIN),
                ApiAction.op("POST", "stop_import", "Stop import of boot resources.", Access.ADMIN),
                ApiAction.op("GET", "is_importing", "Return import status.", Access.AUTHENTICATED),
                ApiAction.op("GET", "import_progress", "Progress of the import: bytes, rate and ETA per file and "
                        + "overall.", Access.AUTHENTICATED));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        if (action.op() == null) {
            String type = request.parameter("type").orElse("all");
            if (!List.of("all", "synced", "uploaded").contains(type)) {
                throw ApiException.badRequest("'" + type + "' is not a valid type. Valid types are: all, synced, "
                        + "uploaded");
            }
            List<Map<String, Object>> out = new ArrayList<>();
            if (!type.equals("uploaded")) {
                List<SyncedState.Resource> all = service.importer.state.resources();
                all.stream().sorted(Comparator.comparing(SyncedState.Resource::name)
                        .thenComparing(SyncedState.Resource::architecture))
                        .forEach(r -> out.add(ApiHandlers.resource(r, false, all, List.of(), null)));
            }
            return ApiResponse.json(out);
        }
        return switch (action.op()) {
            case "import" -> {
                service.startImport();
                yield ApiResponse.text(200, "Import of boot resources started");
            }
            case "stop_import" -> {
                service.stopImport();
                yield ApiResponse.text(200, "Import of boot resources is being stopped");
            }
            case "is_importing" -> ApiResponse.json(service.isImporting());
            default -> ApiResponse.json(service.progress());
        };
    }
}
