package io.metalforge.boot.http.internal;

import java.io.IOException;
import java.util.Map;

import org.osgi.framework.BundleContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.platform.FrameworkOverride;
import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.boot.BootFiles;

/**
 * Runs the boot HTTP server while the boot service is there. A port that cannot be bound is reported in the log; the
 * rest of the platform keeps running.
 */
@Component(service = BootHttpComponent.class, immediate = true, configurationPid = BootHttpConfiguration.PID)
@Designate(ocd = BootHttpConfiguration.class)
public class BootHttpComponent {

    private final HttpBootServer server;
    private final Logger logger;

    @Activate
    public BootHttpComponent(@Reference BootFiles files, @Reference(service = LoggerFactory.class) Logger logger,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor,
            BootHttpConfiguration config, BundleContext context, Map<String, Object> properties) {
        this.logger = logger;
        this.server = new HttpBootServer(files, new ApiForwarder(apiAddress(config, context, properties)),
                bindAddress(config, context, properties), port(config, context, properties),
                config.max__connections(), config.max__connections__per__client(), config.idle__timeout__seconds(),
                executor::pool, (message, e) -> {
                    if (e == null) {
                        logger.warn(message);
                    } else {
                        logger.error(message, e);
                    }
                });
    }

    /**
     * Without a configuration of its PID, the framework properties {@value #BIND_PROPERTY} and {@value #PORT_PROPERTY}
     * (when set) replace the defaults, as {@code org.osgi.service.http.port} does for the API: tests and appliances
     * can move the server before it first binds.
     */
    static final String BIND_PROPERTY = "metalforge.boot.bind";
    static final String PORT_PROPERTY = "metalforge.boot.http.port";

    /** The API's own port, as the HTTP service reads it. */
    static final String API_PORT_PROPERTY = "org.osgi.service.http.port";

    /**
     * Where {@code /MAAS/} goes: the configured {@code api_address}; without a configuration of its PID, when the API
     * was moved with {@value #API_PORT_PROPERTY}, that port on loopback (else the metadata service would be looked for
     * on 5240, where nothing or another appliance listens). The component properties always hold the defaults.
     */
    static String apiAddress(BootHttpConfiguration config, BundleContext context, Map<String, Object> properties) {
        return FrameworkOverride.of(properties, context, API_PORT_PROPERTY).filter(p -> !p.isBlank())
                .map(p -> "127.0.0.1:" + Integer.parseInt(p.trim())).orElse(config.api__address());
    }

    static String bindAddress(BootHttpConfiguration config, BundleContext context, Map<String, Object> properties) {
        return FrameworkOverride.of(properties, context, BIND_PROPERTY).orElse(config.bind__address());
    }

    static int port(BootHttpConfiguration config, BundleContext context, Map<String, Object> properties) {
        return FrameworkOverride.of(properties, context, PORT_PROPERTY).map(p -> Integer.parseInt(p.trim()))
                .orElse(config.port());
    }

    @Activate
    void start() {
        try {
            server.start();
            logger.info("Boot HTTP server on port {}", server.port());
        } catch (IOException e) {
            logger.error("Boot HTTP server cannot listen: {}", e.getMessage());
        }
    }

    @Deactivate
    void stop() {
        server.stop();
    }

    /** The port listened on (for tests and the shell), or -1 when not listening. */
    int port() {
        try {
            return server.port();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
