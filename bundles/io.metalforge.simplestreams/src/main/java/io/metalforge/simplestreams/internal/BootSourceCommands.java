package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.ApiException;

/**
 * Shell: {@code bootsources}, {@code bootsourceadd URL|stable|candidate [PRIORITY] [KEYRING|skip]},
 * {@code bootsourceremove ID}, {@code bootselections ID}, {@code bootselect ID OS RELEASE [ARCH...]},
 * {@code bootunselect ID SELECTION}.
 */
@Component(service = BootSourceCommands.class, property = {"osgi.command.scope=metalforge",
        "osgi.command.function=bootsources", "osgi.command.function=bootsourceadd",
        "osgi.command.function=bootsourceremove", "osgi.command.function=bootselections",
        "osgi.command.function=bootselect", "osgi.command.function=bootunselect"})
public class BootSourceCommands {

    private final SimpleStreamsService service;

    @Activate
    public BootSourceCommands(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    static final String ADD_USAGE = "Usage: metalforge:bootsourceadd <url|stable|candidate> [priority] "
            + "[keyring file|skip]";
    static final String REMOVE_USAGE = "Usage: metalforge:bootsourceremove <source id>";
    static final String SELECTIONS_USAGE = "Usage: metalforge:bootselections <source id>";
    static final String SELECT_USAGE = "Usage: metalforge:bootselect <source id> <os> <release> [arch...]";
    static final String UNSELECT_USAGE = "Usage: metalforge:bootunselect <source id> <selection id>";

    @Descriptor("List the boot sources")
    public String bootsources() throws IOException {
        List<BootSource> sources = service.sources.repository().sources();
        if (sources.isEmpty()) {
            return "No boot sources";
        }
        StringBuilder out = new StringBuilder(String.format("%-4s %-8s %-8s %s%n", "ID", "PRIORITY", "STATE", "URL"));
        for (BootSource s : sources) {
            out.append(String.format("%-4d %-8d %-8s %s%s%n", s.id(), s.priority(), s.enabled() ? "enabled" : "disabled",
                    s.url(), s.skipKeyringVerification() ? "  (unverified)" : ""));
        }
        return out.toString();
    }

    @Descriptor("Show how to call metalforge:bootsourceadd")
    public String bootsourceadd() {
        return ADD_USAGE;
    }

    @Descriptor("Add a boot source with the default keyring")
    public String bootsourceadd(@Descriptor("simplestreams URL, or stable or candidate") String url)
            throws IOException {
        return add(url, -1, BootSources.DEFAULT_KEYRING);
    }

    @Descriptor("Add a boot source with the default keyring")
    public String bootsourceadd(@Descriptor("simplestreams URL, or stable or candidate") String url,
            @Descriptor("priority, a whole number; higher wins") String priority) throws IOException {
        return bootsourceadd(url, priority, BootSources.DEFAULT_KEYRING);
    }

    /** Adds a source; "stable" and "candidate" are the MAAS presets; keyring "skip" disables verification. */
    @Descriptor("Add a boot source")
    public String bootsourceadd(@Descriptor("simplestreams URL, or stable or candidate") String url,
            @Descriptor("priority, a whole number; higher wins") String priority,
            @Descriptor("OpenPGP keyring file, or skip to not verify") String keyring) throws IOException {
        try {
            return add(url, Integer.parseInt(priority), keyring);
        } catch (NumberFormatException e) {
            return "Not a priority: " + priority + "\n" + ADD_USAGE;
        }
    }

    private String add(String url, int priority, String keyring) throws IOException {
        String u = switch (url) {
            case "stable" -> BootSourceUrls.STABLE;
            case "candidate" -> BootSourceUrls.CANDIDATE;
            default -> url;
        };
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("url", List.of(u));
        if (url.equals("stable") || url.equals("candidate")) {
            params.put("name", List.of(url.equals("stable") ? "MAAS Stable" : "MAAS Candidate"));
        }
        if (priority >= 0) {
            params.put("priority", List.of(Integer.toString(priority)));
        }
        if (keyring.equals("skip")) {
            params.put("skip_keyring_verification", List.of("true"));
        } else {
            params.put("keyring_filename", List.of(keyring));
        }
        try {
            BootSource s = service.sources.create(params, List.of());
            return "Boot source " + s.id() + " added: " + s.url() + " (priority " + s.priority() + ")";
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    @Descriptor("Show how to call metalforge:bootsourceremove")
    public String bootsourceremove() {
        return REMOVE_USAGE;
    }

    @Descriptor("Remove a boot source and its selections")
    public String bootsourceremove(@Descriptor("boot source id (metalforge:bootsources)") String id)
            throws IOException {
        Long source = id(id);
        if (source == null) {
            return "Not a boot source id: " + id + "\n" + REMOVE_USAGE;
        }
        try {
            service.sources.delete(source);
            return "Boot source " + source + " removed with its selections";
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    @Descriptor("Show how to call metalforge:bootselections")
    public String bootselections() {
        return SELECTIONS_USAGE;
    }

    @Descriptor("List the selections of a boot source")
    public String bootselections(@Descriptor("boot source id (metalforge:bootsources)") String id)
            throws IOException {
        Long source = id(id);
        if (source == null) {
            return "Not a boot source id: " + id + "\n" + SELECTIONS_USAGE;
        }
        try {
            List<Map<String, Object>> selections = service.sources.selections(source);
            if (selections.isEmpty()) {
                return "No selections in boot source " + source;
            }
            StringBuilder out = new StringBuilder(String.format("%-4s %-10s %-12s %-20s %-20s %s%n", "ID", "OS",
                    "RELEASE", "ARCHES", "SUBARCHES", "LABELS"));
            for (Map<String, Object> sel : selections) {
                out.append(String.format("%-4s %-10s %-12s %-20s %-20s %s%n", sel.get("id"), sel.get("os"),
                        sel.get("release"), joined(sel.get("arches")), joined(sel.get("subarches")),
                        joined(sel.get("labels"))));
            }
            return out.toString();
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    private static String joined(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    @Descriptor("Show how to call metalforge:bootselect")
    public String bootselect() {
        return SELECT_USAGE;
    }

    @Descriptor("Show how to call metalforge:bootselect")
    public String bootselect(@Descriptor("boot source id") String id) {
        return "metalforge:bootselect needs an os and a release.\n" + SELECT_USAGE;
    }

    @Descriptor("Show how to call metalforge:bootselect")
    public String bootselect(@Descriptor("boot source id") String id, @Descriptor("os, e.g. ubuntu") String os) {
        return "metalforge:bootselect needs a release.\n" + SELECT_USAGE;
    }

    @Descriptor("Select a release of a boot source for import")
    public String bootselect(@Descriptor("boot source id (metalforge:bootsources)") String id,
            @Descriptor("os, e.g. ubuntu") String os, @Descriptor("release, e.g. noble") String release,
            @Descriptor("architectures, e.g. amd64 arm64; all when none") String... arches) throws IOException {
        Long source = id(id);
        if (source == null) {
            return "Not a boot source id: " + id + "\n" + SELECT_USAGE;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("os", List.of(os));
        params.put("release", List.of(release));
        params.put("arches", arches.length == 0 ? List.of("*") : new ArrayList<>(List.of(arches)));
        try {
            return "Selection " + service.sources.createSelection(source, params).id() + " added";
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    @Descriptor("Show how to call metalforge:bootunselect")
    public String bootunselect() {
        return UNSELECT_USAGE;
    }

    @Descriptor("Show how to call metalforge:bootunselect")
    public String bootunselect(@Descriptor("boot source id") String id) {
        return "metalforge:bootunselect needs the selection id.\n" + UNSELECT_USAGE;
    }

    @Descriptor("Remove a selection from a boot source")
    public String bootunselect(@Descriptor("boot source id (metalforge:bootsources)") String id,
            @Descriptor("selection id (metalforge:bootselections)") String selection) throws IOException {
        Long source = id(id);
        Long sel = id(selection);
        if (source == null || sel == null) {
            return "Not an id: " + (source == null ? id : selection) + "\n" + UNSELECT_USAGE;
        }
        try {
            service.sources.deleteSelection(source, sel);
            return "Selection " + sel + " removed";
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    private static Long id(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(ApiException e) {
        if (e.fieldErrors().isEmpty()) {
            return e.getMessage();
        }
        StringBuilder out = new StringBuilder();
        e.fieldErrors().forEach((field, messages) -> out.append("\n  ").append(field).append(": ")
                .append(String.join(" ", messages)));
        return out.toString();
    }
}
