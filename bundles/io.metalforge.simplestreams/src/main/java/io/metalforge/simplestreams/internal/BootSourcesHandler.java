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

/** {@code boot-sources/}: list and create boot sources. */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=BootSourcesHandler",
                ApiHandler.PATH_PROPERTY + "=boot-sources/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootSourcesHandler implements ApiHandler {

    private final SimpleStreamsService service;

    @Activate
    public BootSourcesHandler(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "BootSourcesHandler";
    }

    @Override
    public String doc() {
        return "Manage the collection of boot sources.";
    }

    @Override
    public String path() {
        return "boot-sources/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(ApiAction.crud("GET", "List boot sources.\n\nGet a listing of a region's boot sources.",
                Access.ADMIN), ApiAction.crud("POST", """
                Create a boot source.

                :param url: The URL of the BootSource.
                :type url: unicode
                :param name: A unique name; defaults to the URL.
                :type name: unicode
                :param priority: Higher wins; defaults to one more than the highest.
                :type priority: int
                :param enabled: Whether the source is used.
                :type enabled: boolean
                :param keyring_filename: The path to the keyring file for this BootSource.
                :type keyring_filename: unicode
                :param keyring_data: The GPG keyring for this BootSource, base64-encoded.
                :type keyring_data: file
                :param skip_keyring_verification: Skip the OpenPGP check of the stream.
                :type skip_keyring_verification: boolean
                """, Access.ADMIN));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        try {
            if (action.method().equals("GET")) {
                return ApiResponse.json(service.sources.list());
            }
            return ApiResponse.created(BootSources.json(service.sources.create(request.parameters(), request.files())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
