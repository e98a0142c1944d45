package io.metalforge.http.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.platform.PlatformDirectories;

/**
 * The one servlet under /MAAS/api/2.0/: the whiteboard of {@link ApiHandler}s (any bundle may add or remove one at
 * any time) and the {@link Dispatcher} over them. Handlers meant for /MAAS/a/v3/ ({@link V3Servlet}) are not
 * served here.
 */
@Component(service = Servlet.class, configurationPid = ApiConfiguration.PID)
@HttpWhiteboardServletPattern("/MAAS/api/2.0/*")
@Designate(ocd = ApiConfiguration.class)
public class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ApiCatalog catalog;
    private final transient Dispatcher dispatcher;

    @Activate
    public ApiServlet(@Reference UserStore users, @Reference PlatformDirectories directories,
            @Reference(service = LoggerFactory.class) Logger logger, ApiConfiguration config) {
        this(users, directories.data().resolve("tmp").resolve("http"), limits(config), logger);
    }

    ApiServlet(UserStore users, Path spoolFolder, FormLimits limits, Logger logger) {
        removeLeftovers(spoolFolder);
        this.catalog = new ApiCatalog(message -> {
            if (logger != null) {
                logger.warn(message);
            }
        });
        this.dispatcher = new Dispatcher(catalog, new OAuthVerifier(users, Clock.systemUTC()), limits, spoolFolder,
                (message, e) -> {
                    if (logger != null) {
                        logger.error(message, e);
                    } else {
                        e.printStackTrace();
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

    static FormLimits limits(ApiConfiguration c) {
        return new FormLimits(c.max__parts(), c.max__field__bytes(), c.max__file__bytes(), c.max__form__bytes(),
                c.max__urlencoded__bytes());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(!" + V3Servlet.V3_TARGET + ")")
    void addHandler(ApiHandler handler) {
        catalog.add(handler);
    }

    void removeHandler(ApiHandler handler) {
        catalog.remove(handler);
    }

    ApiCatalog catalog() {
        return catalog;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        dispatcher.service(req, resp);
    }
}
