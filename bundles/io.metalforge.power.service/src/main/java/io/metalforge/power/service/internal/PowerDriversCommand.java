package io.metalforge.power.service.internal;

import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.api.power.PowerField;

/**
 * Gogo: {@code metalforge:powerdrivers} lists the installed power drivers with their settings schemas. The function is
 * named like its method: Gogo's {@code help} lists only functions that a public method of that name implements.
 */
@Component(service = PowerDriversCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=powerdrivers" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class PowerDriversCommand {

    private final PowerDriverRegistry registry;

    @Activate
    public PowerDriversCommand(@Reference PowerDriverRegistry registry) {
        this.registry = registry;
    }

    @Descriptor("List the installed power drivers with their settings")
    public String powerdrivers() {
        return list();
    }

    String list() {
        StringBuilder out = new StringBuilder();
        if (registry.names().isEmpty()) {
            return "No power drivers installed\n";
        }
        for (String name : registry.names()) {
            PowerDriver driver = registry.find(name).orElse(null);
            if (driver == null) {
                continue;
            }
            PowerDriverDescriptor d = driver.descriptor();
            out.append(d.name()).append(" - ").append(d.description());
            out.append(d.queryable() ? " (queryable" : " (not queryable");
            out.append(d.chassis() ? ", chassis)" : ")").append('\n');
            if (d.fields().isEmpty()) {
                out.append("    no settings\n");
            } else {
                out.append(String.format("    %-18s %-15s %-4s %-8s  %s%n", "SETTING", "TYPE", "SCOPE", "REQUIRED",
                        "LABEL"));
            }
            for (PowerField f : d.fields()) {
                out.append(String.format("    %-18s %-15s %-4s %-8s", f.name(),
                        f.type().name().toLowerCase(Locale.ROOT), f.scope().name().toLowerCase(Locale.ROOT),
                        f.required() ? "required" : ""));
                if (f.secret()) {
                    out.append(" secret");
                }
                if (!f.defaultValue().isEmpty()) {
                    out.append(" default=").append(f.defaultValue());
                }
                if (!f.choices().isEmpty()) {
                    out.append(" choices=").append(String.join("|",
                            f.choices().stream().map(c -> c.value().isEmpty() ? "''" : c.value()).toList()));
                }
                out.append("  ").append(f.label()).append('\n');
            }
        }
        return out.toString();
    }
}
