package io.metalforge.api.http;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One MAAS API resource (what piston calls a handler), e.g. {@code BootResourcesHandler} at
 * {@code boot-resources/}. A bundle contributes it by registering the service; {@code describe/} lists the handlers
 * registered at that moment, and the dispatcher routes to them by path, method and {@code op}.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #name()} is the class-style name MAAS uses ({@code BootResourcesHandler}); the maas CLI derives its
 * command from it ("boot-resources"). Names are unique across the platform.</li>
 * <li>{@link #path()} is relative to {@code /MAAS/api/2.0/}, ends with "/", and names its parameters in braces:
 * {@code boot-resources/{id}/}. Paths are unique across the platform.</li>
 * <li>{@link #handle} is only called for one of {@link #actions()}, after authentication and the action's
 * {@link Access} check. It is called concurrently from many threads.</li>
 * <li>It streams large bodies (never reads an image into memory) and reports client errors with
 * {@link ApiException}; any other exception becomes a 500 without details.</li>
 * </ul>
 *
 * <h2>Activation on first use</h2>
 * A handler registered with the service properties {@value #NAME_PROPERTY} and {@value #PATH_PROPERTY} (equal to
 * {@link #name()} and {@link #path()}) is routed by them alone: the platform gets the service, so Declarative
 * Services activates the handler and what it references, on the first request to its path (or the first
 * {@code describe/}), not when the platform starts. A handler registered without them is got at once. As a DS
 * component:
 *
 * <pre>
 * &#64;Component(service = ApiHandler.class, property = {ApiHandler.NAME_PROPERTY + "=BootResourcesHandler",
 *         ApiHandler.PATH_PROPERTY + "=boot-resources/"})
 * </pre>
 *
 * The API hash ({@code X-MAAS-API-Hash}, describe's {@code hash}) stands for such a handler by these two properties
 * and its bundle's symbolic name and version, active or not (so activation does not change it; a new bundle version
 * does).
 */
@ConsumerType
public interface ApiHandler {

    /**
     * Service property: the handler's {@link #name()}; with {@link #PATH_PROPERTY}, the handler is activated on its
     * first request.
     *
     * @since 1.2
     */
    String NAME_PROPERTY = "metalforge.api.name";

    /**
     * Service property: the handler's {@link #path()} (of an {@link ApiOperations}: its {@link ApiOperations#path()},
     * which is then activated on the first request to one of its operations).
     *
     * @since 1.2
     */
    String PATH_PROPERTY = "metalforge.api.path";

    /** Handler name as shown in describe, e.g. "BootResourcesHandler". */
    String name();

    /** Documentation; the first paragraph is the CLI help title. */
    String doc();

    /** Path template relative to /MAAS/api/2.0/, e.g. "boot-resources/{id}/". */
    String path();

    /** The actions this resource answers. */
    List<ApiAction> actions();

    /** Performs {@code action} for {@code request}. */
    ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException;
}
