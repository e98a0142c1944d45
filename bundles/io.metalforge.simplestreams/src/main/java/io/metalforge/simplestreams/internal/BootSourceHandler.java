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

/** {@code boot-sources/{id}/}: read, update and delete one boot source (its selections go with it). */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=BootSourceHandler",
                ApiHandler.PATH_PROPERTY + "=boot-sources/{id}/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootSourceHandler implements ApiHandler {

    private final SimpleStreamsService service;

    @Activate
    public BootSourceHandler(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "BootSourceHandler";
    }

    @Override
    public String doc() {
        return "Manage a boot source.";
    }

    @Override
    public String path() {
        return "boot-sources/{id}/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(ApiAction.crud("GET", "Read a boot source.", Access.ADMIN), ApiAction.crud("PUT", """
                Update a boot source.

                :param url: The URL of the BootSource.
                :type url: unicode
                :param name: A unique name.
                :type name: unicode
                :param priority: Higher wins.
                :type priority: int
                :param enabled: Whether the source is used.
                :type enabled: boolean
                :param keyring_filename: The path to the keyring file for this BootSource.
                :type keyring_filename: unicode
                :param keyring_data: The GPG keyring for this BootSource, base64-encoded data.
                :type keyring_data: file
                :param skip_keyring_verification: Skip the OpenPGP check of the stream.
                :type skip_keyring_verification: boolean
                """, Access.ADMIN), ApiAction.crud("DELETE", "Delete a boot source.", Access.ADMIN));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        long id = ApiHandlers.id(request, "id", "BootSource");
        try {
            return switch (action.method()) {
                case "GET" -> ApiResponse.json(BootSources.json(service.sources.get(id)));
                case "PUT" -> ApiResponse.json(BootSources.json(service.sources.update(id, request.parameters(),
                        request.files())));
                default -> {
                    service.sources.delete(id);
                    yield ApiResponse.deleted();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
