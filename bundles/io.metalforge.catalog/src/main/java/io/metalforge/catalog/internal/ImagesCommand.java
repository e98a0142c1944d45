package io.metalforge.catalog.internal;

import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.catalog.UploadedImageCount;
import io.metalforge.api.inspect.Finding;
import io.metalforge.api.inspect.ImageReport;

/**
 * Gogo: {@code metalforge:images [list [synced|uploaded] | show <id> | delete <id> | metrics | gc]}.
 */
@Component(service = ImagesCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=images" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class ImagesCommand {

    private final CatalogService catalog;

    @Activate
    public ImagesCommand(@Reference CatalogService catalog) {
        this.catalog = catalog;
    }

    @Descriptor("List the boot resources")
    public String images() {
        return list(Optional.empty());
    }

    @Descriptor("List the boot resources, print upload metrics, or remove unreferenced bytes")
    public String images(@Descriptor("list, metrics or gc") String command) {
        return switch (command) {
            case "list" -> list(Optional.empty());
            case "metrics" -> metrics();
            case "gc" -> collectGarbage();
            default -> usage();
        };
    }

    @Descriptor("List by type, show or delete a boot resource")
    public String images(@Descriptor("list, show or delete") String command,
            @Descriptor("synced or uploaded (list), a boot resource id (show, delete)") String argument) {
        try {
            return switch (command) {
                case "list" -> ResourceType.ofKey(argument).map(t -> list(Optional.of(t)))
                        .orElse("Unknown type " + argument + ": synced or uploaded");
                case "show" -> show(Long.parseLong(argument));
                case "delete" -> catalog.deleteResource(Long.parseLong(argument)) ? "Deleted boot resource " + argument
                        : "No boot resource " + argument;
                default -> usage();
            };
        } catch (NumberFormatException e) {
            return "Not a boot resource id: " + argument + "\n" + usage();
        }
    }

    private static String usage() {
        return "metalforge:images [list [synced|uploaded] | show <id> | delete <id> | metrics | gc]";
    }

    /** Removes blobs no file references, sparing those younger than an hour (a sync may not have committed yet). */
    String collectGarbage() {
        try {
            List<String> deleted = catalog.store().collectGarbage(catalog::isReferenced, java.time.Duration.ofHours(1));
            return "Removed " + deleted.size() + " unreferenced blobs" + (deleted.isEmpty() ? "" : ": " + deleted);
        } catch (java.io.IOException e) {
            return "Garbage collection failed: " + e.getMessage();
        }
    }

    String list(Optional<ResourceType> type) {
        List<BootResource> resources = catalog.resources(type);
        StringBuilder out = new StringBuilder(String.format("%-5s %-9s %-28s %-20s %-14s %s%n", "ID", "TYPE", "NAME",
                "ARCHITECTURE", "BASE IMAGE", "LATEST SET"));
        for (BootResource r : resources) {
            List<BootResourceSet> sets = catalog.sets(r.id());
            String latest = sets.isEmpty() ? "-" : sets.get(sets.size() - 1).version()
                    + (catalog.isComplete(sets.get(sets.size() - 1).id()) ? " complete" : " incomplete");
            out.append(String.format("%-5d %-9s %-28s %-20s %-14s %s%n", r.id(), r.type().label(), r.name(),
                    r.architecture(), r.baseImage().isEmpty() ? "-" : r.baseImage(), latest));
        }
        return resources.isEmpty() ? "No boot resources" : out.toString();
    }

    String show(long id) {
        Optional<BootResource> found = catalog.resource(id);
        if (found.isEmpty()) {
            return "No boot resource " + id;
        }
        BootResource r = found.get();
        StringBuilder out = new StringBuilder();
        out.append("Boot resource ").append(r.id()).append(": ").append(r.name()).append(" (").append(r.type().label())
                .append(")\n");
        out.append("  architecture: ").append(r.architecture()).append('\n');
        if (!r.baseImage().isEmpty()) {
            out.append("  base image:   ").append(r.baseImage()).append('\n');
        }
        r.extra().forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
        for (BootResourceSet set : catalog.sets(id)) {
            out.append("  set ").append(set.version()).append(" (").append(set.label()).append(", ")
                    .append(catalog.isComplete(set.id()) ? "complete" : "incomplete").append(")\n");
            for (BootResourceFile f : catalog.files(set.id())) {
                out.append(String.format("    %-16s %-16s %,15d bytes  %s  %s%n", f.filename(), f.filetype(), f.size(),
                        f.filenameOnDisk(), f.complete() ? "complete" : "incomplete"));
                ImageReport report = f.report();
                if (report != null) {
                    out.append("      doctor: ").append(report.format()).append(", ")
                            .append(ResourceJson.verdict(report.verdict())).append('\n');
                    for (Finding finding : report.findings()) {
                        out.append(String.format("        %-12s %s%n", finding.severity().name().toLowerCase(),
                                finding.message()));
                    }
                }
            }
        }
        return out.toString();
    }

    String metrics() {
        StringBuilder out = new StringBuilder("maas_custom_static_images_uploaded\n");
        for (UploadedImageCount c : catalog.uploadedCustomImages()) {
            out.append(String.format("  {base_image=\"%s\",file_type=\"%s\"} %d%n", c.baseImage(), c.fileType(),
                    c.count()));
        }
        return out.toString();
    }
}
