package io.metalforge.http.internal;

import java.io.IOException;
import java.time.Clock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.platform.PlatformDirectories;

/**
 * The servlet under /MAAS/metadata/, which installing machines read: the {@link ApiHandler}s registered with the
 * service property {@value V3Servlet#V3_PROPERTY}={@value #METADATA_VALUE} (their paths relative to
 * /MAAS/metadata/), served by the same {@link Dispatcher} as the API (forms, op, OAuth PLAINTEXT) but taking node
 * tokens. As MAAS, it tolerates repeated slashes and answers with a {@code Date} header, from which cloud-init
 * corrects its clock before signing the next request.
 */
@Component(service = Servlet.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@HttpWhiteboardServletPattern("/MAAS/metadata/*")
// asynchronous: an unauthenticated form's prefix is read without holding a thread (PrefixReader)
@HttpWhiteboardServletAsyncSupported
public class MetadataServlet extends HttpServlet {

    static final String METADATA_VALUE = "metadata";
    static final String METADATA_TARGET = "(" + V3Servlet.V3_PROPERTY + "=" + METADATA_VALUE + ")";
    static final String PREFIX = "/MAAS/metadata/";

    private static final long serialVersionUID = 1L;

    private final transient ApiCatalog catalog;
    private final transient Dispatcher dispatcher;

    @Activate
    public MetadataServlet(@Reference OAuthVerifier verifier, @Reference PlatformDirectories directories,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(verifier, directories.data().resolve("tmp").resolve("http"), logger);
    }

    MetadataServlet(UserStore users, java.nio.file.Path spoolFolder, Logger logger) {
        this(new OAuthVerifier(users, Clock.systemUTC()), spoolFolder, logger);
    }

    MetadataServlet(OAuthVerifier verifier, java.nio.file.Path spoolFolder, Logger logger) {
        FaultAnswers faults = ApiServlet.faultAnswers(logger);
        this.catalog = new ApiCatalog(faults::warn);
        // installers post small forms and logs: the API's default limits bound them
        this.dispatcher = new Dispatcher(catalog, PREFIX, true, verifier, FormLimits.DEFAULT, BodyPolicy.DEFAULT,
                spoolFolder, faults);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = METADATA_TARGET)
    void addHandler(ApiHandler handler) {
        catalog.add(handler);
    }

    void removeHandler(ApiHandler handler) {
        catalog.remove(handler);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setDateHeader("Date", System.currentTimeMillis());
        dispatcher.service(new HttpServletRequestWrapper(req) {
            @Override
            public String getPathInfo() {
                return collapseSlashes(super.getPathInfo());
            }
        }, resp);
    }

    /** "//latest//by-id/x/" → "/latest/by-id/x/": MAAS's metadata routes tolerate redundant slashes. */
    static String collapseSlashes(String path) {
        return path == null ? null : path.replaceAll("/{2,}", "/");
    }
}
