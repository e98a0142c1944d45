package io.metalforge.catalog.internal;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.FormFile;

/** {@code boot-resources/}: list and upload (create); the image sync adds its import operations. */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=BootResourcesHandler",
                ApiHandler.PATH_PROPERTY + "=boot-resources/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootResourcesHandler implements ApiHandler {

    static final ApiAction READ = ApiAction.crud("GET", """
            List all boot resources.

            :param type: Type of boot resources to list: all, synced or uploaded. Default: all.
            :type type: String
            """, Access.AUTHENTICATED);
    static final ApiAction CREATE = ApiAction.crud("POST", """
            Upload a new boot resource.

            :param name: Required. Name of the boot resource.
            :type name: String
            :param architecture: Required. Architecture the boot resource supports, as arch/subarch.
            :type architecture: String
            :param sha256: Required. The sha256 hash of the resource.
            :type sha256: String
            :param size: Required. The size of the resource in bytes.
            :type size: String
            :param title: Optional. Title for the boot resource.
            :type title: String
            :param filetype: Optional. Filetype for uploaded content: tgz, tbz, txz, ddtgz, ddtbz, ddtxz, ddtar,
              ddbz2, ddgz, ddxz, ddraw. Default: tgz.
            :type filetype: String
            :param base_image: Optional. The base image (os/series) of a custom image, e.g. ubuntu/noble.
            :type base_image: String
            :param keep_old: Optional. Keep the files of older uploads of this name and architecture.
            :type keep_old: Boolean
            :param content: Optional. Image content (the maas CLI sends it in chunks instead).
            :type content: Binary
            """, Access.ADMIN);

    private final UploadService uploads;

    @Activate
    public BootResourcesHandler(@Reference UploadService uploads) {
        this.uploads = uploads;
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
        // the import operations are the SimpleStreams bundle's, which adds them (ApiOperations) while installed
        return List.of(READ, CREATE);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        if (action.equals(CREATE)) {
            Optional<FormFile> content = request.files().stream().filter(f -> f.name().equals("content")).findFirst();
            return ApiResponse.created(ResourceJson.full(uploads.create(request.parameters(), content),
                    uploads.catalog()));
        }
        String type = request.parameter("type").orElse("all");
        Optional<ResourceType> filter;
        if (type.equals("all")) {
            filter = Optional.empty();
        } else {
            filter = ResourceType.ofKey(type);
            if (filter.isEmpty()) {
                throw ApiException.badRequest("'" + type
                        + "' is not a valid boot resource type. Available types: ['all', 'synced', 'uploaded']");
            }
        }
        return ApiResponse.json(uploads.catalog().resources(filter).stream().map(ResourceJson::summary).toList());
    }
}
