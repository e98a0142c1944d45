package io.metalforge.http.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.codec.digest.DigestUtils;

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
 * The handlers registered now, as routes and as the describe document. Every change makes a new immutable
 * {@link Snapshot} (on the next request, so a start that binds forty handlers does not build forty), so describe,
 * its hash and dispatch always agree, and a hot-deployed handler appears (or a removed one disappears) at once.
 * Routes need only a handler's name and path: a handler deferred until its first request ({@link OnFirstUse}) stays
 * inactive until a request reaches its path or asks for describe/.
 */
final class ApiCatalog {

    static final String PREFIX = "/MAAS/api/2.0/";

    private final List<ApiHandler> handlers = new ArrayList<>();
    private final List<ApiOperations> operations = new ArrayList<>();
    private final Consumer<String> warnings;
    /** null after a change, until the next request builds it */
    private volatile Snapshot snapshot;

    ApiCatalog(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    synchronized void add(ApiHandler handler) {
        handlers.add(handler);
        snapshot = null;
    }

    synchronized void remove(ApiHandler handler) {
        handlers.remove(handler);
        snapshot = null;
    }

    synchronized void add(ApiOperations contribution) {
        operations.add(contribution);
        snapshot = null;
    }

    synchronized void remove(ApiOperations contribution) {
        operations.remove(contribution);
        snapshot = null;
    }

    Consumer<String> warnings() {
        return warnings;
    }

    Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (snapshot == null) {
                snapshot = build(handlers);
            }
            return snapshot;
        }
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

    /**
     * Routes plus the describe document (without the per-request "uri" fields, made on the first describe/, which
     * activates every deferred handler) and the API hash.
     */
    record Snapshot(List<Route> routes, Supplier<ObjectNode> description, String hash) {

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
            ObjectNode doc = description.get().deepCopy();
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
        List<ApiHandler> described = List.copyOf(accepted);
        return new Snapshot(List.copyOf(routes), new OnFirstUse.Once<>(() -> describe(described)),
                sha1(identity(described)));
    }

    /** The describe document of {@code accepted} (sorted by name); a handler that cannot be activated is left out. */
    private ObjectNode describe(List<ApiHandler> accepted) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        doc.put("doc", "MAAS API");
        ArrayNode resources = doc.putArray("resources");
        ArrayNode all = doc.putArray("handlers");
        for (ApiHandler h : accepted) {
            List<ApiAction> actions;
            try {
                actions = h.actions();
            } catch (RuntimeException e) {
                warnings.accept("API handler " + h.name() + " left out of describe: " + e.getMessage());
                continue;
            }
            List<ApiAction> anon = actions.stream().filter(a -> a.access() == Access.ANONYMOUS).toList();
            List<ApiAction> auth = actions.stream().filter(a -> a.access() != Access.ANONYMOUS).toList();
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
        return doc;
    }

    /**
     * What the API hash is taken of, without activating anything: an active handler (and operation) by its
     * description, a deferred one by its name, path and bundle version (it describes the same actions until its
     * bundle changes). With every handler active, it is the describe document itself.
     */
    private ObjectNode identity(List<ApiHandler> accepted) {
        if (accepted.stream().noneMatch(ApiCatalog::deferred)) {
            return describe(accepted);
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ArrayNode list = doc.putArray("handlers");
        for (ApiHandler h : accepted) {
            ApiHandler owner = h instanceof ExtendedHandler e ? e.owner() : h;
            List<Object> parts = new ArrayList<>(List.of(owner));
            if (h instanceof ExtendedHandler e) {
                parts.addAll(e.contributions());
            }
            for (Object part : parts) {
                ObjectNode node = list.addObject();
                node.put("path", PREFIX + normalized(h.path()));
                if (part instanceof OnFirstUse.Deferred d) {
                    node.put("name", part == owner ? h.name() : "operations");
                    node.put("revision", d.revision());
                } else if (part instanceof ApiHandler a) {
                    node.set("handler", handlerNode(a, a.actions()));
                } else {
                    // the owner's path and the actions only: the owner's doc would activate a deferred owner
                    node.set("operations", actionsNode(((ApiOperations) part).actions()));
                }
            }
        }
        return doc;
    }

    private static boolean deferred(ApiHandler h) {
        return h instanceof OnFirstUse.Deferred
                || h instanceof ExtendedHandler e && (e.owner() instanceof OnFirstUse.Deferred
                        || e.contributions().stream().anyMatch(o -> o instanceof OnFirstUse.Deferred));
    }

    /** The owner with the operations other bundles contribute to its path (merged when first asked for). */
    private ApiHandler withOperations(ApiHandler owner) {
        List<ApiOperations> contributions = operations.stream()
                .filter(o -> normalized(o.path()).equals(normalized(owner.path()))).toList();
        return contributions.isEmpty() ? owner : new ExtendedHandler(owner, contributions, warnings);
    }

    /**
     * A handler with the operations other bundles added to it: each action goes to whoever contributed it; an
     * operation the owner (or an earlier contribution) already answers is ignored with a warning. The actions are
     * merged on first use, which activates the owner and the contributions when they are deferred.
     */
    static final class ExtendedHandler implements ApiHandler {

        private final ApiHandler owner;
        private final List<ApiOperations> contributions;
        private final Consumer<String> warnings;
        private final Supplier<Merged> merged = new OnFirstUse.Once<>(this::merge);

        private record Merged(List<ApiAction> actions, Map<ApiAction, ApiOperations> added) {
        }

        ExtendedHandler(ApiHandler owner, List<ApiOperations> contributions, Consumer<String> warnings) {
            this.owner = owner;
            this.contributions = contributions;
            this.warnings = warnings;
        }

        ApiHandler owner() {
            return owner;
        }

        List<ApiOperations> contributions() {
            return contributions;
        }

        private Merged merge() {
            List<ApiAction> actions = new ArrayList<>(owner.actions());
            Map<ApiAction, ApiOperations> added = new LinkedHashMap<>();
            Set<String> signatures = new HashSet<>();
            actions.forEach(a -> signatures.add(signature(a)));
            for (ApiOperations o : contributions) {
                List<ApiAction> offered;
                try {
                    offered = o.actions();
                } catch (RuntimeException e) {
                    warnings.accept("API operations at " + owner.path() + " left out: " + e.getMessage());
                    continue;
                }
                for (ApiAction a : offered) {
                    if (a.op() == null || !signatures.add(signature(a))) {
                        warnings.accept("API operation " + a.method() + " op=" + a.op() + " of "
                                + o.getClass().getName() + " ignored: " + (a.op() == null ? "not a named operation"
                                        : owner.name() + " already answers it"));
                        continue;
                    }
                    actions.add(a);
                    added.put(a, o);
                }
            }
            return new Merged(List.copyOf(actions), Map.copyOf(added));
        }

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
        public List<ApiAction> actions() {
            return merged.get().actions();
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
            ApiOperations o = merged.get().added().get(action);
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
        node.set("actions", actionsNode(actions));
        return node;
    }

    private static ArrayNode actionsNode(List<ApiAction> actions) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
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
        return list;
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
        if (h instanceof OnFirstUse.Deferred) {
            return null; // its actions are checked when it is activated
        }
        List<ApiAction> twice = answeredTwice(h.actions());
        return twice.stream().findFirst().map(a -> "two actions answer method=" + a.method() + " op=" + a.op())
                .orElse(null);
    }

    /** The actions whose method and op an earlier action of {@code actions} already answers, in order. */
    static List<ApiAction> answeredTwice(List<ApiAction> actions) {
        Set<String> signatures = new HashSet<>();
        return actions.stream().filter(a -> !signatures.add(signature(a))).toList();
    }

    /** What a request's method and op select an action by. */
    static String signature(ApiAction a) {
        return a.method() + " " + a.op();
    }

    private static String sha1(ObjectNode doc) {
        return DigestUtils.sha1Hex(CanonicalJson.bytes(doc));
    }
}
