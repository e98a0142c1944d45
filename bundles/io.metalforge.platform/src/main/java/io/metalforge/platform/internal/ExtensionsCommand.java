package io.metalforge.platform.internal;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.platform.ExtensionRegistry;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.api.source.ImageStreamSourceRegistry;
import io.metalforge.api.store.BlobStoreRegistry;

/** Gogo: {@code metalforge:extensions} lists what is wired now, per extension family. */
@Component(service = ExtensionsCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=extensions" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class ExtensionsCommand {

    private final List<ExtensionRegistry<?>> registries;

    @Activate
    public ExtensionsCommand(@Reference ImageStreamSourceRegistry sources, @Reference OsHandlerRegistry os,
            @Reference BlobStoreRegistry stores, @Reference PowerDriverRegistry power) {
        this.registries = List.of(sources, os, stores, power);
    }

    @Descriptor("List what is wired now per extension family: image sources, OS handlers, blob stores, power drivers")
    public String extensions() {
        StringBuilder out = new StringBuilder();
        for (ExtensionRegistry<?> registry : registries) {
            List<ExtensionInfo> wired = registry.describe();
            out.append(plural(registry.family().label())).append(" (").append(wired.size()).append(")\n");
            if (wired.isEmpty()) {
                out.append("  none\n");
            } else {
                out.append(String.format("  %-12s %-32s %s%n", "NAME", "TITLE", "BUNDLE VERSION"));
            }
            for (ExtensionInfo info : wired) {
                out.append(String.format("  %-12s %-32s %s %s%n", info.name(),
                        info.title() == null ? "" : info.title(), info.bundle(), info.bundleVersion()));
            }
        }
        return out.toString();
    }

    private static String plural(String label) {
        String capital = Character.toUpperCase(label.charAt(0)) + label.substring(1);
        return capital.endsWith("s") ? capital : capital + "s";
    }
}
