package io.metalforge.simplestreams.internal;

import static io.metalforge.api.shell.CommandUsage.WRONG_ARGUMENTS;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.shell.CommandUsage;
import io.metalforge.api.shell.Refusals;

/**
 * Shell: {@code bootsources}, {@code bootsourceadd URL|stable|candidate [PRIORITY] [KEYRING|skip]},
 * {@code bootsourceremove ID}, {@code bootselections ID}, {@code bootselect ID OS RELEASE [ARCH...]},
 * {@code bootunselect ID SELECTION}.
 */
@Component(service = BootSourceCommands.class, property = {"osgi.command.scope=metalforge",
        "osgi.command.function=bootsources", "osgi.command.function=bootsourceadd",
        "osgi.command.function=bootsourceremove", "osgi.command.function=bootselections",
        "osgi.command.function=bootselect", "osgi.command.function=bootunselect"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootSourceCommands {

    private final SimpleStreamsService service;

    @Activate
    public BootSourceCommands(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    static final CommandUsage ADD = CommandUsage.of("metalforge:bootsourceadd",
            "<url|stable|candidate> [priority] [keyring file|skip]");
    static final CommandUsage REMOVE = CommandUsage.of("metalforge:bootsourceremove", "<source id>");
    static final CommandUsage SELECTIONS = CommandUsage.of("metalforge:bootselections", "<source id>");
    static final CommandUsage SELECT = CommandUsage.of("metalforge:bootselect",
            "<source id> <os> <release> [arch...]");
    static final CommandUsage UNSELECT = CommandUsage.of("metalforge:bootunselect", "<source id> <selection id>");

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
    public String bootsourceadd(@Descriptor(WRONG_ARGUMENTS) String... given) { return ADD.misuse(given); }

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
            return ADD.refuse("Not a priority: " + priority);
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
            return "Error: " + Refusals.of(e);
        }
    }

    @Descriptor("Show how to call metalforge:bootsourceremove")
    public String bootsourceremove(@Descriptor(WRONG_ARGUMENTS) String... given) { return REMOVE.misuse(given); }

    @Descriptor("Remove a boot source and its selections")
    public String bootsourceremove(@Descriptor("boot source id (metalforge:bootsources)") String id)
            throws IOException {
        return onSource(id, REMOVE, source -> {
            service.sources.delete(source);
            return "Boot source " + source + " removed with its selections";
        });
    }

    @Descriptor("Show how to call metalforge:bootselections")
    public String bootselections(@Descriptor(WRONG_ARGUMENTS) String... given) { return SELECTIONS.misuse(given); }

    @Descriptor("List the selections of a boot source")
    public String bootselections(@Descriptor("boot source id (metalforge:bootsources)") String id)
            throws IOException {
        return onSource(id, SELECTIONS, this::selections);
    }

    private String selections(long source) throws ApiException, IOException {
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
    }

    private static String joined(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    @Descriptor("Show how to call metalforge:bootselect")
    public String bootselect(@Descriptor(WRONG_ARGUMENTS) String... given) { return SELECT.misuse(given); }

    @Descriptor("Select a release of a boot source for import")
    public String bootselect(@Descriptor("boot source id (metalforge:bootsources)") String id,
            @Descriptor("os, e.g. ubuntu") String os, @Descriptor("release, e.g. noble") String release,
            @Descriptor("architectures, e.g. amd64 arm64; all when none") String... arches) throws IOException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("os", List.of(os));
        params.put("release", List.of(release));
        params.put("arches", arches.length == 0 ? List.of("*") : new ArrayList<>(List.of(arches)));
        return onSource(id, SELECT,
                source -> "Selection " + service.sources.createSelection(source, params).id() + " added");
    }

    @Descriptor("Show how to call metalforge:bootunselect")
    public String bootunselect(@Descriptor(WRONG_ARGUMENTS) String... given) { return UNSELECT.misuse(given); }

    @Descriptor("Remove a selection from a boot source")
    public String bootunselect(@Descriptor("boot source id (metalforge:bootsources)") String id,
            @Descriptor("selection id (metalforge:bootselections)") String selection) throws IOException {
        Long sel = id(selection);
        if (sel == null) {
            return UNSELECT.refuse("Not a selection id: " + selection);
        }
        return onSource(id, UNSELECT, source -> {
            service.sources.deleteSelection(source, sel);
            return "Selection " + sel + " removed";
        });
    }

    /** What a command does with the boot source it names. */
    @FunctionalInterface
    private interface SourceAction {
        String run(long source) throws ApiException, IOException;
    }

    /** {@code action} on the boot source {@code id} names; a bad id is refused with the usage, an API refusal shown. */
    private static String onSource(String id, CommandUsage usage, SourceAction action) throws IOException {
        Long source = id(id);
        if (source == null) {
            return usage.refuse("Not a boot source id: " + id);
        }
        try {
            return action.run(source);
        } catch (ApiException e) {
            return "Error: " + Refusals.of(e);
        }
    }

    private static Long id(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
