package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

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

/** {@code boot-sources/{boot_source_id}/selections/}: list and create selections (create answers 200, as MAAS). */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=BootSourceSelectionsHandler",
                ApiHandler.PATH_PROPERTY + "=boot-sources/{boot_source_id}/selections/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootSourceSelectionsHandler implements ApiHandler {

    private final SimpleStreamsService service;

    @Activate
    public BootSourceSelectionsHandler(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "BootSourceSelectionsHandler";
    }

    @Override
    public String doc() {
        return "Manage the collection of boot source selections.";
    }

    @Override
    public String path() {
        return "boot-sources/{boot_source_id}/selections/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(ApiAction.crud("GET", "List boot source selections.", Access.ADMIN),
                ApiAction.crud("POST", BootSourceSelectionHandler.PARAMS_DOC.replace("Update", "Create"),
                        Access.ADMIN));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        long source = ApiHandlers.id(request, "boot_source_id", "BootSource");
        try {
            if (action.method().equals("GET")) {
                return ApiResponse.json(service.sources.selections(source));
            }
            return ApiResponse.json(BootSources.json(service.sources.createSelection(source, request.parameters())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
