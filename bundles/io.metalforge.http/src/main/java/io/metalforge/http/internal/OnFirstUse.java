package io.metalforge.http.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiOperations;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;

/**
 * Handlers and operations known by their service properties ({@link ApiHandler#NAME_PROPERTY},
 * {@link ApiHandler#PATH_PROPERTY}) until something needs their actions: the service is got then, which makes
 * Declarative Services activate the component and everything it references. Binding every handler when the servlet
 * started activated the whole API graph (database, catalog, sync, power) before the platform could say ready; now
 * only the routes are known then.
 */
final class OnFirstUse {

    private OnFirstUse() {
    }

    /** The handler behind {@code objects}: deferred when its properties name and place it, else got now. */
    static ApiHandler handler(ComponentServiceObjects<ApiHandler> objects, Map<String, Object> properties,
            Consumer<String> warnings) {
        Object name = properties.get(ApiHandler.NAME_PROPERTY);
        Object path = properties.get(ApiHandler.PATH_PROPERTY);
        if (name instanceof String n && path instanceof String p) {
            return new Handler(n, p, revision(objects.getServiceReference()), objects::getService, warnings);
        }
        return objects.getService();
    }

    /** The operations behind {@code objects}: deferred when its properties give their path, else got now. */
    static ApiOperations operations(ComponentServiceObjects<ApiOperations> objects, Map<String, Object> properties) {
        if (properties.get(ApiHandler.PATH_PROPERTY) instanceof String p) {
            return new Operations(p, revision(objects.getServiceReference()), objects::getService);
        }
        return objects.getService();
    }

    /** What stands for a deferred service in the API hash: its bundle's name and version. */
    static String revision(ServiceReference<?> reference) {
        Bundle b = reference == null ? null : reference.getBundle();
        return b == null ? "" : b.getSymbolicName() + " " + b.getVersion();
    }

    /** Implemented by what is not active yet. */
    interface Deferred {

        /** What the API hash takes for it while it is deferred. */
        String revision();
    }

    /** The service {@code get} gives; fails (the request gets a 500, the log a line) if it could not be activated. */
    private static <T> T required(Supplier<T> get, String what) {
        T t = get.get();
        if (t == null) {
            throw new IllegalStateException(what + " could not be activated (see the log of Declarative Services)");
        }
        return t;
    }

    /**
     * {@code make}'s value, made by the first {@link #get} only (the other threads wait for it); a {@code make} that
     * throws is tried again by the next {@link #get}.
     */
    static final class Once<T> implements Supplier<T> {

        private final Supplier<T> make;
        private volatile T value;

        Once(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = make.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }

    /** A handler routed by its properties, activated on first use. */
    static final class Handler implements ApiHandler, Deferred {

        private final String name;
        private final String path;
        private final String revision;
        private final Supplier<ApiHandler> get;
        private final Consumer<String> warnings;
        private final Once<ApiHandler> active = new Once<>(this::activate);

        Handler(String name, String path, String revision, Supplier<ApiHandler> get, Consumer<String> warnings) {
            this.name = name;
            this.path = path;
            this.revision = revision;
            this.get = get;
            this.warnings = warnings;
        }

        ApiHandler active() {
            return active.get();
        }

        private ApiHandler activate() {
            ApiHandler a = required(get, "API handler " + name);
            if (!name.equals(a.name()) || !path.equals(a.path())) {
                // routed by the properties; describe shows them too, so it stays consistent
                warnings.accept("API handler " + a.getClass().getName() + " is registered as " + name + " at " + path
                        + " but calls itself " + a.name() + " at " + a.path());
            }
            for (ApiAction action : ApiCatalog.answeredTwice(a.actions())) {
                warnings.accept("API handler " + name + ": two actions answer method=" + action.method() + " op="
                        + action.op() + "; the first one is used");
            }
            return a;
        }

        @Override
        public String revision() {
            return revision;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String doc() {
            return active().doc();
        }

        @Override
        public List<ApiAction> actions() {
            return active().actions();
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
            return active().handle(action, request);
        }
    }

    /** Operations placed by their path property, activated on first use. */
    static final class Operations implements ApiOperations, Deferred {

        private final String path;
        private final String revision;
        private final Once<ApiOperations> active;

        Operations(String path, String revision, Supplier<ApiOperations> get) {
            this.path = path;
            this.revision = revision;
            this.active = new Once<>(() -> required(get, "API operations at " + path));
        }

        ApiOperations active() {
            return active.get();
        }

        @Override
        public String revision() {
            return revision;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public List<ApiAction> actions() {
            return active().actions();
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
            return active().handle(action, request);
        }
    }
}
