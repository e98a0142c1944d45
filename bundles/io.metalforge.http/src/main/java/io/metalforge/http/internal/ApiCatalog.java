package io.metalforge.http.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.codec.digest.DigestUtils;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiOperations;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;

/**
 * The handlers registered now, as routes and as the describe document. Every change builds a new immutable
 * {@link Snapshot}, so describe, its hash and dispatch always agree, and a hot-deployed handler appears (or a removed
 * one disappears) at once.
 */
final class ApiCatalog {

    static final String PREFIX = "/MAAS/api/2.0/";

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final List<ApiHandler> handlers = new ArrayList<>();
    private final List<ApiOperations> operations = new ArrayList<>();
    private final Consumer<String> warnings;
    private volatile Snapshot snapshot;

    ApiCatalog(Consumer<String> warnings) {
        this.warnings = warnings;
        this.snapshot = build(List.of());
    }

    synchronized void add(ApiHandler handler) {
        handlers.add(handler);
        snapshot = build(handlers);
    }

    synchronized void remove(ApiHandler handler) {
        handlers.remove(handler);
        snapshot = build(handlers);
    }

    synchronized void add(ApiOperations contribution) {
        operations.add(contribution);
        snapshot = build(handlers);
    }

    synchronized void remove(ApiOperations contribution) {
        operations.remove(contribution);
        snapshot = build(handlers);
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** A handler at a path template. */
    record Route(ApiHandler handler, String[] segments, int literals) {

        /** Values of the template's parameters when {@code path} (segments) matches, else null. */
        Map<String, String> match(List<String> path) {
            if (path.size() != segments.length) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                String p = path.get(i);
                if (isParameter(s)) {
                    if (p.isEmpty()) {
                        return null;
                    }
                    params.put(s.substring(1, s.length() - 1), p);
                } else if (!s.equals(p)) {
                    return null;
                }
            }
            return params;
        }

        boolean hasOp(String op) {
            return handler.actions().stream().anyMatch(a -> op.equals(a.op()));
        }
    }

    /** A request path resolved to a handler. */
    record Match(ApiHandler handler, Map<String, String> pathParameters, String pathOp) {
    }

    /** Routes plus the describe document (without the per-request "uri" fields) and its hash. */
    record Snapshot(List<Route> routes, ObjectNode description, String hash) {

        /** Resolves a path relative to the API root, e.g. "boot-resources/12/" or "boot-resources/op-import/". */
        Match match(String relativePath) {
            List<String> segments = segments(relativePath);
            if (!segments.isEmpty() && segments.get(segments.size() - 1).startsWith("op-")) {
                String op = segments.get(segments.size() - 1).substring(3);
                List<String> base = segments.subList(0, segments.size() - 1);
                for (Route r : routes) {
                    Map<String, String> params = r.match(base);
                    if (params != null && r.hasOp(op)) {
                        return new Match(r.handler(), params, op);
                    }
                }
            }
            for (Route r : routes) {
                Map<String, String> params = r.match(segments);
                if (params != null) {
                    return new Match(r.handler(), params, null);
                }
            }
            return null;
        }

        /** The describe document for a client that reached the API at {@code origin} (scheme://host:port). */
        ObjectNode describe(String origin) {
            ObjectNode doc = description.deepCopy();
            for (var it = doc.withArray("handlers").elements(); it.hasNext();) {
                ObjectNode h = (ObjectNode) it.next();
                h.put("uri", origin + h.get("path").asText());
            }
            for (var it = doc.withArray("resources").elements(); it.hasNext();) {
                ObjectNode r = (ObjectNode) it.next();
                for (String side : List.of("anon", "auth")) {
                    if (r.get(side) instanceof ObjectNode h) {
                        h.put("uri", origin + h.get("path").asText());
                    }
                }
            }
            doc.put("hash", hash);
            return doc;
        }
    }

    static List<String> segments(String relativePath) {
        String p = relativePath;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
    }

    static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private Snapshot build(List<ApiHandler> current) {
        List<Route> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        List<ApiHandler> accepted = new ArrayList<>();
        for (ApiHandler h : current) {
            String problem = problem(h, names, paths);
            if (problem != null) {
                warnings.accept("API handler " + h.getClass().getName() + " ignored: " + problem);
                continue;
            }
            names.add(h.name());
            paths.add(normalized(h.path()));
            h = withOperations(h);
            accepted.add(h);
            String[] segs = segments(h.path()).toArray(String[]::new);
            int literals = 0;
            for (String s : segs) {
                literals += isParameter(s) ? 0 : 1;
            }
            routes.add(new Route(h, segs, literals));
        }
        // More literal segments first, so "users/op-whoami" style and fixed paths win over parameters
        routes.sort(Comparator.comparingInt(Route::literals).reversed()
                .thenComparing(r -> r.handler().path()));
        accepted.sort(Comparator.comparing(ApiHandler::name));

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        doc.put("doc", "MAAS API");
        ArrayNode resources = doc.putArray("resources");
        ArrayNode all = doc.putArray("handlers");
        for (ApiHandler h : accepted) {
            List<ApiAction> anon = h.actions().stream().filter(a -> a.access() == Access.ANONYMOUS).toList();
            List<ApiAction> auth = h.actions().stream().filter(a -> a.access() != Access.ANONYMOUS).toList();
            ObjectNode resource = resources.addObject();
            resource.put("name", h.name());
            resource.set("anon", anon.isEmpty() ? f.nullNode() : handlerNode(h, anon));
            resource.set("auth", auth.isEmpty() ? f.nullNode() : handlerNode(h, auth));
            if (!anon.isEmpty()) {
                all.add(handlerNode(h, anon));
            }
            if (!auth.isEmpty()) {
                all.add(handlerNode(h, auth));
            }
        }
        return new Snapshot(List.copyOf(routes), doc, sha1(doc));
    }

    /** The owner with the operations other bundles contribute to its path (none that clash with its own). */
    private ApiHandler withOperations(ApiHandler owner) {
        List<ApiAction> actions = new ArrayList<>(owner.actions());
        Map<ApiAction, ApiOperations> added = new LinkedHashMap<>();
        Set<String> signatures = new HashSet<>();
        actions.forEach(a -> signatures.add(a.method() + " " + a.op()));
        for (ApiOperations o : operations) {
            if (!normalized(o.path()).equals(normalized(owner.path()))) {
                continue;
            }
            for (ApiAction a : o.actions()) {
                if (a.op() == null || !signatures.add(a.method() + " " + a.op())) {
                    warnings.accept("API operation " + a.method() + " op=" + a.op() + " of "
                            + o.getClass().getName() + " ignored: " + (a.op() == null ? "not a named operation"
                                    : owner.name() + " already answers it"));
                    continue;
                }
                actions.add(a);
                added.put(a, o);
            }
        }
        return added.isEmpty() ? owner : new ExtendedHandler(owner, List.copyOf(actions), Map.copyOf(added));
    }

    /** A handler with the operations other bundles added to it: each action goes to whoever contributed it. */
    record ExtendedHandler(ApiHandler owner, List<ApiAction> actions, Map<ApiAction, ApiOperations> added)
            implements ApiHandler {

        @Override
        public String name() {
            return owner.name();
        }

        @Override
        public String doc() {
            return owner.doc();
        }

        @Override
        public String path() {
            return owner.path();
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
            ApiOperations o = added.get(action);
            return o != null ? o.handle(action, request) : owner.handle(action, request);
        }
    }

    private static ObjectNode handlerNode(ApiHandler h, List<ApiAction> actions) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", h.name());
        node.put("doc", h.doc() == null ? "" : h.doc());
        ArrayNode params = node.putArray("params");
        for (String s : segments(h.path())) {
            if (isParameter(s)) {
                params.add(s.substring(1, s.length() - 1));
            }
        }
        node.put("path", PREFIX + normalized(h.path()));
        ArrayNode list = node.putArray("actions");
        actions.stream().sorted(Comparator.comparing(ApiAction::name)).forEach(a -> {
            ObjectNode action = list.addObject();
            action.put("name", a.name());
            action.put("method", a.method());
            if (a.op() == null) {
                action.putNull("op");
            } else {
                action.put("op", a.op());
            }
            action.put("restful", a.restful());
            action.put("doc", a.doc());
        });
        return node;
    }

    private static String normalized(String path) {
        List<String> segs = segments(path);
        return segs.isEmpty() ? "" : String.join("/", segs) + "/";
    }

    private static String problem(ApiHandler h, Set<String> names, Set<String> paths) {
        if (h.name() == null || h.name().isBlank()) {
            return "no name";
        }
        if (h.path() == null || !h.path().endsWith("/") || h.path().startsWith("/") || h.path().contains("//")) {
            return "path must be relative to " + PREFIX + " and end with '/': " + h.path();
        }
        if (segments(h.path()).stream().anyMatch(s -> s.startsWith("op-"))) {
            return "path segments must not start with 'op-': " + h.path();
        }
        if (names.contains(h.name())) {
            return "another handler is already named " + h.name();
        }
        if (paths.contains(normalized(h.path()))) {
            return "another handler already serves " + h.path();
        }
        Set<String> signatures = new HashSet<>();
        for (ApiAction a : h.actions()) {
            if (!signatures.add(a.method() + " " + a.op())) {
                return "two actions answer method=" + a.method() + " op=" + a.op();
            }
        }
        return null;
    }

    private static String sha1(ObjectNode doc) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(doc, Object.class));
            return DigestUtils.sha1Hex(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash the describe document", e);
        }
    }
}
