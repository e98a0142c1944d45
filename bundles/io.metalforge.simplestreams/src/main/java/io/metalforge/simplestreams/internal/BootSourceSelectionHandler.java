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

/** {@code boot-sources/{boot_source_id}/selections/{id}/}: read, update and delete one selection. */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=BootSourceSelectionHandler",
                ApiHandler.PATH_PROPERTY + "=boot-sources/{boot_source_id}/selections/{id}/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootSourceSelectionHandler implements ApiHandler {

    static final String PARAMS_DOC = """
            Update a boot source selection.

            :param os: The OS (e.g. ubuntu, centos) for which to import resources.
            :type os: unicode
            :param release: The release for which to import resources.
            :type release: unicode
            :param arches: The architecture list for which to import resources.
            :type arches: unicode
            :param subarches: The subarchitecture list for which to import resources.
            :type subarches: unicode
            :param labels: The label lists for which to import resources.
            :type labels: unicode
            """;

    private final SimpleStreamsService service;

    @Activate
    public BootSourceSelectionHandler(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "BootSourceSelectionHandler";
    }

    @Override
    public String doc() {
        return "Manage a boot source selection.";
    }

    @Override
    public String path() {
        return "boot-sources/{boot_source_id}/selections/{id}/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(ApiAction.crud("GET", "Read a boot source selection.", Access.ADMIN),
                ApiAction.crud("PUT", PARAMS_DOC, Access.ADMIN),
                ApiAction.crud("DELETE", "Delete a boot source selection.", Access.ADMIN));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        long source = ApiHandlers.id(request, "boot_source_id", "BootSource");
        long id = ApiHandlers.id(request, "id", "BootSourceSelection");
        try {
            return switch (action.method()) {
                case "GET" -> ApiResponse.json(BootSources.json(service.sources.selection(source, id)));
                case "PUT" -> ApiResponse.json(BootSources.json(service.sources.updateSelection(source, id,
                        request.parameters())));
                default -> {
                    service.sources.deleteSelection(source, id);
                    yield ApiResponse.deleted();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
