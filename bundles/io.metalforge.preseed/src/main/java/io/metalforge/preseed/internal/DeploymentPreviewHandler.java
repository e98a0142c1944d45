package io.metalforge.preseed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.deploy.DeploymentComposer;
import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.FormFile;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionNotInstalledException;

/**
 * {@code POST deployment-preview/?op=compose}: the documents a deployment would get, for a machine described in JSON
 * (form field or file part {@code machine}), an {@code image} "os/release", and optionally {@code filetype} and
 * {@code base_image}. Credentials in the answer are placeholders: a preview never carries a machine's token.
 */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=DeploymentPreviewHandler",
                ApiHandler.PATH_PROPERTY + "=deployment-preview/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class DeploymentPreviewHandler implements ApiHandler {

    static final ApiAction COMPOSE = ApiAction.op("POST", "compose", """
            Preview the deployment configuration of a machine.

            :param machine: the machine as JSON (interfaces, disks, storage layout, ...)
            :param image: the image as os/release, e.g. ubuntu/noble or custom/golden
            :param filetype: the image's filetype (optional), e.g. root-tgz, root-dd.xz, squashfs
            :param base_image: a custom image's base as os/release (optional)
            """, Access.AUTHENTICATED);

    private final Preview preview;

    @Activate
    public DeploymentPreviewHandler(@Reference DeploymentComposer composer, @Reference OsHandlerRegistry registry) {
        this.preview = new Preview(composer, registry);
    }

    @Override
    public String name() {
        return "DeploymentPreviewHandler";
    }

    @Override
    public String doc() {
        return "Preview deployment configuration.\n\nCurtin, cloud-init and netplan documents for a machine and an"
                + " image, as a deployment would get them.";
    }

    @Override
    public String path() {
        return "deployment-preview/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(COMPOSE);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        if (!COMPOSE.equals(action)) {
            throw ApiException.notFound("no action " + action.name());
        }
        String image = request.parameter("image").orElseThrow(() -> ApiException.badRequest("image is required"));
        byte[] machine = machineJson(request);
        try {
            return ApiResponse.json(Preview.json(preview.compose(Preview.machine(machine), image,
                    request.parameter("filetype").orElse(null), request.parameter("base_image").orElse(null),
                    serverUrl(request.baseUrl()))));
        } catch (IllegalArgumentException | ExtensionNotInstalledException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static byte[] machineJson(ApiRequest request) throws ApiException {
        Optional<FormFile> file = request.files().stream().filter(f -> f.name().equals("machine")).findFirst();
        if (file.isPresent()) {
            if (file.get().size() > Preview.MAX_MACHINE_JSON) {
                throw ApiException.badRequest("machine is larger than " + Preview.MAX_MACHINE_JSON + " bytes");
            }
            try (InputStream in = file.get().open()) {
                return in.readNBytes(Preview.MAX_MACHINE_JSON + 1);
            } catch (IOException e) {
                throw ApiException.badRequest("machine could not be read");
            }
        }
        String text = request.parameter("machine").orElseThrow(() -> ApiException.badRequest("machine is required"));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** "http://host:5240/MAAS/api/2.0/" to "http://host:5240/MAAS/". */
    static String serverUrl(String apiBase) {
        int api = apiBase.indexOf("api/2.0");
        return api < 0 ? apiBase : apiBase.substring(0, api);
    }
}
