package io.metalforge.simplestreams.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import io.metalforge.api.http.ApiUser;

/**
 * {@code notifications/}: MAAS's notification list, read only, where MAAS clients (and its UI) look for what went
 * wrong. It holds the failure of the last image import, for administrators, as MAAS raises one: category
 * {@code error}, the reason as message. The notification goes away when the next import completes.
 */
// activated on its first request: the API routes by these properties until then
@Component(service = {ApiHandler.class, NotificationsHandler.class},
        property = {ApiHandler.NAME_PROPERTY + "=NotificationsHandler",
                ApiHandler.PATH_PROPERTY + "=notifications/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class NotificationsHandler implements ApiHandler {

    static final String IMPORT_FAILED = "image_import_failed";

    private final SimpleStreamsService service;

    @Activate
    public NotificationsHandler(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "NotificationsHandler";
    }

    @Override
    public String doc() {
        return "Manage the collection of all the notifications in MAAS.";
    }

    @Override
    public String path() {
        return "notifications/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(ApiAction.crud("GET", "List notifications relevant to the invoking user.",
                Access.AUTHENTICATED));
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        return ApiResponse.json(visibleTo(request.user()));
    }

    /** The notifications this user sees: import failures are for administrators. */
    List<Map<String, Object>> visibleTo(ApiUser user) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (user.admin()) {
            importFailure().ifPresent(list::add);
        }
        return list;
    }

    Optional<Map<String, Object>> importFailure() {
        Importer importer = service.importer;
        ImportProgress p = importer.progress();
        if (importer.importing() || !ImportProgress.FAILED.equals(p.state())) {
            return Optional.empty();
        }
        long id = importer.imports();
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("id", id);
        n.put("ident", IMPORT_FAILED);
        n.put("user", null);
        n.put("users", false);
        n.put("admins", true);
        n.put("message", "Failed to import boot resources: " + p.reason());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("errors", p.errors());
        n.put("context", context);
        n.put("category", "error");
        n.put("dismissable", true);
        n.put("resource_uri", "/MAAS/api/2.0/notifications/" + id + "/");
        return Optional.of(n);
    }
}
