package io.metalforge.simplestreams.internal;

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

/** {@code boot-resources/{id}/}: one synced resource with its sets, files and, while importing, their progress. */
@Component(service = ApiHandler.class)
public class BootResourceHandler implements ApiHandler {

    private final SimpleStreamsService service;

    @Activate
    public BootResourceHandler(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "BootResourceHandler";
    }

    @Override
    public String doc() {
        return "Manage a boot resource.";
    }

    @Override
    public String path() {
        return "boot-resources/{id}/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(ApiAction.crud("GET", "Read a boot resource.", Access.AUTHENTICATED));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        long id = ApiHandlers.id(request, "id", "BootResource");
        var all = service.importer.state.resources();
        SyncedState.Resource r = all.stream().filter(x -> x.id() == id).findFirst()
                .orElseThrow(() -> ApiException.notFound("No BootResource matches the given query."));
        return ApiResponse.json(ApiHandlers.resource(r, true, all, service.importer.engine.pending,
                service.importer.progress()));
    }
}
