package io.metalforge.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;

/** {@code version/}: anonymous; gomaasapi requires capabilities, version and subversion. */
// activated on its first request: the API routes by these properties until then
@Component(property = {ApiHandler.NAME_PROPERTY + "=VersionHandler", ApiHandler.PATH_PROPERTY + "=version/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class VersionHandler implements ApiHandler {

    /** The MAAS API level this server speaks. */
    static final String VERSION = "3.5.0";
    static final String SUBVERSION = "metalforge-0.1.0";
    static final List<String> CAPABILITIES = List.of("authenticate-api");

    /**
     * The answer, the same for every request, written once: serialising a map through Jackson's mapper on the first
     * request of a fresh JVM (the first answer after a start) loaded and introspected enough of Jackson for about a
     * fifth of that request's time. Every value is a constant without characters JSON escapes.
     */
    private static final byte[] DOCUMENT = ("{\"capabilities\": [" + String.join(", ", CAPABILITIES.stream()
            .map(c -> "\"" + c + "\"").toList()) + "], \"version\": \"" + VERSION + "\", \"subversion\": \""
            + SUBVERSION + "\"}").getBytes(StandardCharsets.UTF_8);

    private static final List<ApiAction> ACTIONS = List.of(ApiAction.crud("GET",
            "MAAS version information\n\nRead version and capabilities.\n\n", Access.ANONYMOUS));

    @Override
    public String name() {
        return "VersionHandler";
    }

    @Override
    public String doc() {
        return "Information about this MAAS instance.";
    }

    @Override
    public String path() {
        return "version/";
    }

    @Override
    public List<ApiAction> actions() {
        return ACTIONS;
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) {
        return ApiResponse.json(DOCUMENT.clone());
    }
}
