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
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.metalforge.api.http.ApiHandler;

/**
 * The servlet under /MAAS/a/v3/: the {@link ApiHandler}s registered with the service property
 * {@value #V3_PROPERTY}={@value #V3_VALUE} (their paths relative to /MAAS/a/v3/), served by the {@link V3Dispatcher}
 * with the same OAuth 1.0a PLAINTEXT keys as the v2 API. v3 handlers never appear in v2's describe.
 */
@Component(service = Servlet.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@HttpWhiteboardServletPattern("/MAAS/a/v3/*")
public class V3Servlet extends HttpServlet {

    static final String V3_PROPERTY = "metalforge.api";
    static final String V3_VALUE = "v3";
    static final String V3_TARGET = "(" + V3_PROPERTY + "=" + V3_VALUE + ")";

    private static final long serialVersionUID = 1L;

    private final transient ApiCatalog catalog;
    private final transient V3Dispatcher dispatcher;

    @Activate
    public V3Servlet(@Reference OAuthVerifier verifier, @Reference(service = LoggerFactory.class) Logger logger) {
        FaultAnswers faults = ApiServlet.faultAnswers(logger);
        this.catalog = new ApiCatalog(faults::warn);
        this.dispatcher = new V3Dispatcher(catalog, verifier, BodyPolicy.DEFAULT, faults);
    }

    V3Servlet(UserStore users, Logger logger) {
        this(new OAuthVerifier(users, Clock.systemUTC()), logger);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = V3_TARGET)
    void addHandler(ApiHandler handler) {
        catalog.add(handler);
    }

    void removeHandler(ApiHandler handler) {
        catalog.remove(handler);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        dispatcher.service(req, resp);
    }
}
