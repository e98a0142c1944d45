package io.metalforge.http.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiOperations;
import io.metalforge.api.platform.PlatformDirectories;

/**
 * The one servlet under /MAAS/api/2.0/: the whiteboard of {@link ApiHandler}s (any bundle may add or remove one at
 * any time), the {@link ApiOperations} bundles add to another bundle's resource, and the {@link Dispatcher} over
 * them. Handlers registered with the service property {@value V3Servlet#V3_PROPERTY} are meant for another servlet
 * (/MAAS/a/v3/, /MAAS/metadata/) and are not served here.
 */
@Component(service = Servlet.class, configurationPid = ApiConfiguration.PID)
@HttpWhiteboardServletPattern("/MAAS/api/2.0/*")
// asynchronous: an unauthenticated form's prefix is read without holding a thread (PrefixReader)
@HttpWhiteboardServletAsyncSupported
@Designate(ocd = ApiConfiguration.class)
public class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ApiCatalog catalog;
    private final transient Dispatcher dispatcher;
    /** Handlers and operations as bound, by service id (the same object must leave the catalog). */
    private final transient Map<Object, Object> bound = new ConcurrentHashMap<>();

    @Activate
    public ApiServlet(@Reference OAuthVerifier verifier, @Reference PlatformDirectories directories,
            @Reference(service = LoggerFactory.class) Logger logger, ApiConfiguration config) {
        this(verifier, directories.data().resolve("tmp").resolve("http"), limits(config), policy(config), logger);
    }

    ApiServlet(UserStore users, Path spoolFolder, FormLimits limits, Logger logger) {
        this(new OAuthVerifier(users, Clock.systemUTC()), spoolFolder, limits, BodyPolicy.DEFAULT, logger);
    }

    ApiServlet(OAuthVerifier verifier, Path spoolFolder, FormLimits limits, BodyPolicy policy, Logger logger) {
        this(verifier, spoolFolder, limits, policy, faultAnswers(logger));
    }

    ApiServlet(OAuthVerifier verifier, Path spoolFolder, FormLimits limits, BodyPolicy policy, FaultAnswers faults) {
        removeLeftovers(spoolFolder);
        this.catalog = new ApiCatalog(faults::warn);
        this.dispatcher = new Dispatcher(catalog, verifier, limits, policy, spoolFolder, faults);
    }

    /** One line per fault, to the OSGi log (or standard error in tests without one). */
    static FaultAnswers faultAnswers(Logger logger) {
        return new FaultAnswers(line -> {
            if (logger != null) {
                logger.info(line);
            } else {
                System.err.println("INFO " + line);
            }
        }, line -> {
            if (logger != null) {
                logger.warn(line);
            } else {
                System.err.println("WARN " + line);
            }
        }, line -> {
            if (logger != null) {
                logger.error(line);
            } else {
                System.err.println("ERROR " + line);
            }
        });
    }

    /** Form parts spooled by a process that died mid-request. */
    private static void removeLeftovers(Path spoolFolder) {
        if (!java.nio.file.Files.isDirectory(spoolFolder)) {
            return;
        }
        try (var files = java.nio.file.Files.list(spoolFolder)) {
            files.filter(f -> f.getFileName().toString().startsWith("form-")).forEach(f -> {
                try {
                    java.nio.file.Files.deleteIfExists(f);
                } catch (IOException e) {
                    // in use or gone: the next start tries again
                }
            });
        } catch (IOException e) {
            // unreadable folder: spooling will report it on use
        }
    }

    static BodyPolicy policy(ApiConfiguration c) {
        return new BodyPolicy(c.unauthenticated__body__bytes(), c.unauthenticated__body__millis(),
                c.unauthenticated__readers(), new RequestBody.Rate(c.min__body__rate(), c.min__body__rate__grace__seconds()),
                c.spool__reserve__bytes(), BodyPolicy.DEFAULT.drainMillis());
    }

    static FormLimits limits(ApiConfiguration c) {
        return new FormLimits(c.max__parts(), c.max__field__bytes(), c.max__file__bytes(), c.max__form__bytes(),
                c.max__urlencoded__bytes());
    }

    // The services are got on first use (OnFirstUse), not when bound: binding them all here activated the whole
    // API graph while Jetty started, before the platform could be ready.
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(!(" + V3Servlet.V3_PROPERTY + "=*))")
    void addHandler(ComponentServiceObjects<ApiHandler> objects, Map<String, Object> properties) {
        ApiHandler handler = OnFirstUse.handler(objects, properties, catalog.warnings());
        if (handler != null) {
            bound.put(properties.get(Constants.SERVICE_ID), handler);
            catalog.add(handler);
        }
    }

    void removeHandler(ComponentServiceObjects<ApiHandler> objects, Map<String, Object> properties) {
        if (bound.remove(properties.get(Constants.SERVICE_ID)) instanceof ApiHandler h) {
            catalog.remove(h);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addOperations(ComponentServiceObjects<ApiOperations> objects, Map<String, Object> properties) {
        ApiOperations operations = OnFirstUse.operations(objects, properties);
        if (operations != null) {
            bound.put(properties.get(Constants.SERVICE_ID), operations);
            catalog.add(operations);
        }
    }

    void removeOperations(ComponentServiceObjects<ApiOperations> objects, Map<String, Object> properties) {
        if (bound.remove(properties.get(Constants.SERVICE_ID)) instanceof ApiOperations o) {
            catalog.remove(o);
        }
    }

    // For tests without OSGi: handlers and operations got already. Not overloads of the bind methods above: DS
    // would prefer a bind method taking the service itself, and get every handler when binding it.
    void addActive(ApiHandler handler) {
        catalog.add(handler);
    }

    void removeActive(ApiHandler handler) {
        catalog.remove(handler);
    }

    void addActive(ApiOperations operations) {
        catalog.add(operations);
    }

    void removeActive(ApiOperations operations) {
        catalog.remove(operations);
    }

    ApiCatalog catalog() {
        return catalog;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        dispatcher.service(req, resp);
    }
}
