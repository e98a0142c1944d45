package io.metalforge.catalog.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
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

/**
 * {@code boot-resources/{resource_id}/upload/{id}/}: chunked upload (PUT, appended in order) and, a Metalforge
 * addition, GET to learn how many bytes arrived so an interrupted upload can continue.
 */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=BootResourceFileUploadHandler",
                ApiHandler.PATH_PROPERTY + "=boot-resources/{resource_id}/upload/{id}/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootResourceFileUploadHandler implements ApiHandler {

    static final ApiAction UPDATE = ApiAction.crud("PUT", "Upload the next chunk of a boot resource file (raw body, "
            + "appended in order).", Access.ADMIN);
    static final ApiAction READ = ApiAction.crud("GET", "How many bytes of a boot resource file arrived, to continue "
            + "an interrupted upload from there.", Access.ADMIN);

    private final UploadService uploads;

    @Activate
    public BootResourceFileUploadHandler(@Reference UploadService uploads) {
        this.uploads = uploads;
    }

    @Override
    public String name() {
        return "BootResourceFileUploadHandler";
    }

    @Override
    public String doc() {
        return "Upload a boot resource file.";
    }

    @Override
    public String path() {
        return "boot-resources/{resource_id}/upload/{id}/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(UPDATE, READ);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        long resourceId = BootResourceHandler.parseId(request.pathParameters().get("resource_id"));
        long fileId = BootResourceHandler.parseId(request.pathParameters().get("id"));
        if (action.equals(READ)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("received", uploads.received(resourceId, fileId));
            json.put("size", uploads.catalog().file(fileId).orElseThrow().size());
            return ApiResponse.json(json);
        }
        try {
            uploads.appendChunk(resourceId, fileId, request.body(), request.contentLength());
        } catch (IOException e) {
            throw new ApiException(500, "Upload interrupted");
        }
        return ApiResponse.ok();
    }
}
