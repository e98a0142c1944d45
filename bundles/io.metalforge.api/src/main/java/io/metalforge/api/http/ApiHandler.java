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
 */
@ConsumerType
public interface ApiHandler {

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
