package io.metalforge.api.http;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Named operations a bundle adds to an API resource that another bundle's {@link ApiHandler} owns, e.g. the image
 * sync's {@code op=import} on the catalog's {@code boot-resources/}. A bundle contributes them by registering the
 * service; the dispatcher serves them, and {@code describe/} lists them under the owner, while the owner is there.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #path()} is the owner's path template, exactly as {@link ApiHandler#path()} gives it.</li>
 * <li>Every action is a named operation ({@code op} set); an action whose method and op the owner (or another
 * contribution) already answers is ignored with a warning, so a contribution can never shadow the owner.</li>
 * <li>{@link #handle} is called as {@link ApiHandler#handle} is: after authentication and the access check,
 * concurrently.</li>
 * <li>Registered with the service property {@value ApiHandler#PATH_PROPERTY} (equal to {@link #path()}), it is
 * activated on the first request to the resource that needs its actions (or the first {@code describe/}) rather
 * than when the platform starts.</li>
 * </ul>
 *
 * @since 1.1
 */
@ConsumerType
public interface ApiOperations {

    /** Path template of the resource these operations extend, e.g. "boot-resources/". */
    String path();

    /** The named operations added. */
    List<ApiAction> actions();

    /** Performs {@code action} for {@code request}. */
    ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException;
}
