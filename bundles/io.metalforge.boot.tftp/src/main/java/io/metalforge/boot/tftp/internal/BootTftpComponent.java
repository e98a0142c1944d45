package io.metalforge.boot.tftp.internal;

import java.io.IOException;
import java.util.Map;

import org.osgi.framework.BundleContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.platform.FrameworkOverride;
import io.metalforge.api.boot.BootFiles;

/**
 * Runs the boot TFTP server while the boot service is there. A port that cannot be bound (69 needs privileges or
 * CAP_NET_BIND_SERVICE) is reported in the log; the rest of the platform keeps running.
 */
@Component(service = BootTftpComponent.class, immediate = true, configurationPid = BootTftpConfiguration.PID)
@Designate(ocd = BootTftpConfiguration.class)
public class BootTftpComponent {

    private final TftpServer server;
    private final Logger logger;

    @Activate
    public BootTftpComponent(@Reference BootFiles files, @Reference(service = LoggerFactory.class) Logger logger,
            BootTftpConfiguration config, BundleContext context, Map<String, Object> properties) {
        this.logger = logger;
        this.server = new TftpServer(files, bindAddress(config, context, properties),
                port(config, context, properties), config.max__transfers(), config.max__transfers__per__client(), new TftpTransfer.Limits(config.max__blksize(),
                        config.max__windowsize(), config.timeout__millis(), config.retries()),
                (message, e) -> {
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
    static final String PORT_PROPERTY = "metalforge.boot.tftp.port";

    static String bindAddress(BootTftpConfiguration config, BundleContext context, Map<String, Object> properties) {
        return FrameworkOverride.of(properties, context, BIND_PROPERTY).orElse(config.bind__address());
    }

    static int port(BootTftpConfiguration config, BundleContext context, Map<String, Object> properties) {
        return FrameworkOverride.of(properties, context, PORT_PROPERTY).map(p -> Integer.parseInt(p.trim()))
                .orElse(config.port());
    }

    @Activate
    void start() {
        try {
            server.start();
            logger.info("Boot TFTP server on UDP port {}", server.port());
        } catch (IOException e) {
            logger.error("Boot TFTP server cannot listen: {}", e.getMessage());
        }
    }

    @Deactivate
    void stop() {
        server.stop();
    }
}
