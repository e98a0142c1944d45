package io.metalforge.simplestreams.internal;

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

/** {@code notifications/{id}/}: one notification of {@link NotificationsHandler}'s list, read only. */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=NotificationHandler",
                ApiHandler.PATH_PROPERTY + "=notifications/{id}/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class NotificationHandler implements ApiHandler {

    private final NotificationsHandler list;

    @Activate
    public NotificationHandler(@Reference NotificationsHandler list) {
        this.list = list;
    }

    @Override
    public String name() {
        return "NotificationHandler";
    }

    @Override
    public String doc() {
        return "Manage an individual notification.";
    }

    @Override
    public String path() {
        return "notifications/{id}/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(ApiAction.crud("GET", "Read a specific notification.", Access.AUTHENTICATED));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        String id = request.pathParameters().get("id");
        for (Map<String, Object> n : list.visibleTo(request.user())) {
            if (String.valueOf(n.get("id")).equals(id)) {
                return ApiResponse.json(n);
            }
        }
        throw ApiException.notFound("No Notification matches the given query.");
    }
}
