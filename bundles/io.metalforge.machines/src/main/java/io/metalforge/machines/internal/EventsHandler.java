package io.metalforge.machines.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import io.metalforge.api.machine.MachineEvent;

/**
 * MAAS's {@code events/?op=query}: status changes and installer reports, newest first, as
 * {@code {"count", "events": [{username, node, hostname, id, level, created, type, description}], "next_uri",
 * "prev_uri"}}, filtered by machine ({@code id} = system id, {@code hostname}), {@code level} (that level and above),
 * {@code after}/{@code before} (event ids) and {@code limit} (default 100, at most 1000).
 */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=EventsHandler",
                ApiHandler.PATH_PROPERTY + "=events/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class EventsHandler implements ApiHandler {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** MAAS's format of "created", e.g. "Thu, 26 Nov. 2026 12:00:00". */
    static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("EEE, dd MMM. yyyy HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static final ApiAction QUERY = ApiAction.op("GET", "query", """
            List node events, newest first.

            :param id: system id of a machine
            :param hostname: host name of a machine
            :param level: DEBUG, INFO, WARNING, ERROR or AUDIT: that level and above (default INFO)
            :param limit: at most this many (default 100, at most 1000)
            :param after: only events with a larger id
            :param before: only events with a smaller id
            """, Access.AUTHENTICATED);

    private final MachineLifecycle machines;

    @Activate
    public EventsHandler(@Reference MachineLifecycle machines) {
        this.machines = machines;
    }

    @Override
    public String name() {
        return "EventsHandler";
    }

    @Override
    public String doc() {
        return "Retrieve filtered node events.";
    }

    @Override
    public String path() {
        return "events/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(QUERY);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
        String systemId = MachineRequests.optional(r, "id");
        String hostname = MachineRequests.optional(r, "hostname");
        if (systemId == null && hostname != null) {
            systemId = machines.rows().stream().filter(m -> m.hostname().equals(hostname)).map(MachineRow::systemId)
                    .findFirst().orElse("-none-");
        }
        String level = MachineRequests.optional(r, "level");
        level = level == null ? "INFO" : level.toUpperCase(Locale.ROOT);
        if (!MachineStore.LEVELS.contains(level)) {
            throw ApiException.badRequest("Unrecognised log level: " + ImageChoice.printable(level));
        }
        int limit = (int) Math.min(MAX_LIMIT, number(r, "limit", DEFAULT_LIMIT));
        long after = number(r, "after", 0);
        long before = number(r, "before", 0);
        List<MachineEvent> events = machines.events(systemId, level, after, before, Math.max(1, limit));
        List<Map<String, Object>> out = new ArrayList<>();
        for (MachineEvent e : events) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("username", e.username().isEmpty() ? "unknown" : e.username());
            j.put("node", e.systemId());
            j.put("hostname", e.hostname());
            j.put("id", e.id());
            j.put("level", e.level());
            j.put("created", CREATED.format(e.created()));
            j.put("type", e.type());
            j.put("description", e.description());
            out.add(j);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", out.size());
        body.put("events", out);
        String base = "/MAAS/api/2.0/events/?op=query&level=" + level + "&limit=" + limit
                + (systemId == null ? "" : "&id=" + systemId);
        body.put("next_uri", events.isEmpty() ? base : base + "&after=" + events.get(0).id());
        body.put("prev_uri", events.isEmpty() ? base : base + "&before=" + events.get(events.size() - 1).id());
        return ApiResponse.json(body);
    }

    private static long number(ApiRequest r, String name, long fallback) throws ApiException {
        String v = MachineRequests.optional(r, name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a non-negative number.");
        }
    }
}
