package io.metalforge.boot.internal;

import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.boot.BootMethod;
import io.metalforge.api.boot.BootRequestRecord;

/** Gogo: {@code metalforge:boot [count]} shows the boot methods, the bootloaders found and the last boot requests. */
@Component(service = BootCommand.class, property = { "osgi.command.scope=metalforge", "osgi.command.function=boot" },
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootCommand {

    static final int DEFAULT_REQUESTS = 10;

    private final BootService service;

    @Activate
    public BootCommand(@Reference BootService service) {
        this.service = service;
    }

    @Descriptor("boot methods, bootloaders found and the last 10 boot requests per MAC")
    public String boot() {
        return boot(DEFAULT_REQUESTS);
    }

    @Descriptor("boot methods, bootloaders found and the last boot requests per MAC")
    public String boot(@Descriptor("requests shown per MAC") int count) {
        StringBuilder out = new StringBuilder();
        List<BootMethod> methods = service.methods();
        out.append("Boot methods: ");
        out.append(methods.isEmpty() ? "none installed" : String.join(", ", methods.stream().map(BootMethod::name)
                .toList()));
        out.append('\n');
        if (!service.hasTargets()) {
            out.append("Machines: no boot target service (every per-MAC config is answered not found)\n");
        }
        List<String> bootloaders = service.bootloaders().describe();
        if (bootloaders.isEmpty()) {
            out.append("Bootloaders: none found in ").append(service.bootloaders().operator().root())
                    .append(" nor synced; PXELINUX and GRUB machines cannot netboot (see docs/BOOT.md)\n");
        } else {
            out.append("Bootloaders:\n");
            bootloaders.forEach(l -> out.append("  ").append(l).append('\n'));
        }
        Map<String, List<BootRequestRecord>> requests = service.recentRequests();
        if (requests.isEmpty()) {
            out.append("No boot requests yet\n");
        }
        requests.forEach((mac, list) -> {
            out.append(mac.isEmpty() ? "Unknown clients" : mac).append(":\n");
            list.subList(Math.max(0, list.size() - Math.max(1, count)), list.size())
                    .forEach(r -> out.append(String.format("  %s %-4s %-15s %d %10d %s%n", r.time(), r.protocol(),
                            r.client(), r.status(), r.bytes(), r.path())));
        });
        return out.toString();
    }
}
