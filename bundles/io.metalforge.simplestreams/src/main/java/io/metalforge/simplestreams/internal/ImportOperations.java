package io.metalforge.simplestreams.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiOperations;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;

/**
 * The import operations of {@code boot-resources/} (a resource the catalog owns), contributed by this bundle:
 * {@code import}, {@code stop_import}, {@code is_importing} and {@code import_progress}. They exist while this
 * bundle is installed.
 */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiOperations.class, property = {ApiHandler.PATH_PROPERTY + "=boot-resources/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class ImportOperations implements ApiOperations {

    static final ApiAction IMPORT = ApiAction.op("POST", "import", "Import the boot resources.", Access.ADMIN);
    static final ApiAction STOP_IMPORT = ApiAction.op("POST", "stop_import", "Stop import of boot resources.",
            Access.ADMIN);
    static final ApiAction IS_IMPORTING = ApiAction.op("GET", "is_importing", "Return import status.",
            Access.AUTHENTICATED);
    static final ApiAction IMPORT_PROGRESS = ApiAction.op("GET", "import_progress", """
            Progress of the running or last import.

            state (importing, complete, failed, stopped or none), error (why it failed, in one line), errors,
            published (sets), sources (per boot source: id, name, url, state, error), bytes done and total,
            percent, rate and ETA, overall and per file.
            """, Access.AUTHENTICATED);

    private final SimpleStreamsService service;

    @Activate
    public ImportOperations(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String path() {
        return "boot-resources/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(IMPORT, STOP_IMPORT, IS_IMPORTING, IMPORT_PROGRESS);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) {
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
