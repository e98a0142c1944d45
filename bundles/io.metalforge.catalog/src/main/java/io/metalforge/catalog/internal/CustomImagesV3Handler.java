package io.metalforge.catalog.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.digest.DigestUtils;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;

/**
 * MAAS v3's {@code POST /MAAS/a/v3/custom_images}: the image in one request, metadata in headers, the raw body
 * streamed into the store. The service property {@code metalforge.api=v3} puts it under /MAAS/a/v3/ (not in v2's
 * describe).
 */
@Component(service = ApiHandler.class, property = "metalforge.api=v3", configurationPolicy = ConfigurationPolicy.IGNORE)
public class CustomImagesV3Handler implements ApiHandler {

    /** The headers MAAS v3 reads the metadata from. */
    static final List<String> HEADERS = List.of("name", "sha256", "architecture", "file-type", "title", "base-image");

    static final ApiAction CREATE = ApiAction.crud("POST", "Upload a custom image in one request: headers name, "
            + "sha256, architecture, file-type (default tgz), title, base-image; the body is the image.",
            Access.ADMIN);

    private final UploadService uploads;

    @Activate
    public CustomImagesV3Handler(@Reference UploadService uploads) {
        this.uploads = uploads;
    }

    @Override
    public String name() {
        return "CustomImagesV3Handler";
    }

    @Override
    public String doc() {
        return "Custom images (API v3).";
    }

    @Override
    public String path() {
        return "custom_images/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(CREATE);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : HEADERS) {
            request.header(name).ifPresent(v -> headers.put(name, v));
        }
        BootResource resource;
        try {
            resource = uploads.uploadWhole(headers, request.body(), request.contentLength());
        } catch (IOException e) {
            throw new ApiException(500, "Upload interrupted");
        }
        Map<String, Object> json = UploadService.v3Image(resource);
        return new ApiResponse(201, ApiResponse.JSON, json, -1, Map.of("ETag", etag(json)));
    }

    /** A strong validator of the representation (MAAS v3 hands one out for If-Match on later changes). */
    static String etag(Map<String, Object> json) {
        return "\"" + DigestUtils.sha256Hex(json.toString()) + "\"";
    }
}
