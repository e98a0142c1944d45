package io.metalforge.boot.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

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
    private final BootHttpConfiguration config;

    @Activate
    public BootHttpComponent(@Reference BootFiles files, @Reference(service = LoggerFactory.class) Logger logger,
            BootHttpConfiguration config) {
        this.logger = logger;
        this.config = config;
        this.server = new HttpBootServer(files, new ApiForwarder(config.api_address()), config.bind_address(),
                config.port(), config.max_connections(), config.max_connections_per_client(),
                config.idle_timeout_seconds(), (message, e) -> {
                    if (e == null) {
                        logger.warn(message);
                    } else {
                        logger.error(message, e);
                    }
                });
    }

    @Activate
    void start() {
        try {
            server.start();
            logger.info("Boot HTTP server on {}:{}", config.bind_address(), server.port());
        } catch (IOException e) {
            logger.error("Boot HTTP server cannot listen on {}:{}: {}", config.bind_address(), config.port(),
                    e.getMessage());
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
