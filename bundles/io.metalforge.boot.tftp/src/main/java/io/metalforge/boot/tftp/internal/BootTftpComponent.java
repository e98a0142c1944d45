package io.metalforge.boot.tftp.internal;

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
 * Runs the boot TFTP server while the boot service is there. A port that cannot be bound (69 needs privileges or
 * CAP_NET_BIND_SERVICE) is reported in the log; the rest of the platform keeps running.
 */
@Component(service = BootTftpComponent.class, immediate = true, configurationPid = BootTftpConfiguration.PID)
@Designate(ocd = BootTftpConfiguration.class)
public class BootTftpComponent {

    private final TftpServer server;
    private final Logger logger;
    private final BootTftpConfiguration config;

    @Activate
    public BootTftpComponent(@Reference BootFiles files, @Reference(service = LoggerFactory.class) Logger logger,
            BootTftpConfiguration config) {
        this.logger = logger;
        this.config = config;
        this.server = new TftpServer(files, config.bind_address(), config.port(), config.max_transfers(),
                config.max_transfers_per_client(), new TftpTransfer.Limits(config.max_blksize(),
                        config.max_windowsize(), config.timeout_millis(), config.retries()),
                (message, e) -> {
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
            logger.info("Boot TFTP server on {}:{}", config.bind_address(), server.port());
        } catch (IOException e) {
            logger.error("Boot TFTP server cannot listen on UDP {}:{}: {}", config.bind_address(), config.port(),
                    e.getMessage());
        }
    }

    @Deactivate
    void stop() {
        server.stop();
    }
}
