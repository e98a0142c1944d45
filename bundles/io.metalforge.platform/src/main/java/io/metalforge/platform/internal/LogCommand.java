package io.metalforge.platform.internal;

import java.io.IOException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** Gogo: {@code metalforge:log [LINES]} prints the end of the log file. */
@Component(service = LogCommand.class, property = { "osgi.command.scope=metalforge", "osgi.command.function=log" },
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class LogCommand {

    static final int DEFAULT_LINES = 40;

    private final LogRouting routing;

    @Activate
    public LogCommand(@Reference LogRouting routing) {
        this.routing = routing;
    }

    @Descriptor("show the last 40 lines of the log file (<data>/log/metalforge.log)")
    public String log() throws IOException {
        return log(DEFAULT_LINES);
    }

    @Descriptor("show the last LINES lines of the log file (<data>/log/metalforge.log)")
    public String log(@Descriptor("how many lines, 1 to 10000") int lines) throws IOException {
        if (lines < 1 || lines > 10_000) {
            return "usage: metalforge:log [LINES]   (LINES from 1 to 10000, default " + DEFAULT_LINES + ")";
        }
        RotatingLogFile file = routing.file();
        return "==> " + file.file() + " <==\n" + String.join("\n", file.tail(lines));
    }
}
