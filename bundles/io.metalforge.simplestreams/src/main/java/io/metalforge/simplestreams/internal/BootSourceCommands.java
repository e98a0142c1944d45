package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    public String bootsources() throws IOException {
        return service.sources.repository().sources().stream().map(s -> String.format("%3d  %-4d %-8s %s%s", s.id(),
                s.priority(), s.enabled() ? "enabled" : "disabled", s.url(),
                s.skipKeyringVerification() ? "  (unverified)" : "")).collect(Collectors.joining("\n"));
    }

    public String bootsourceadd(String url) throws IOException {
        return bootsourceadd(url, -1, BootSources.DEFAULT_KEYRING);
    }

    public String bootsourceadd(String url, int priority) throws IOException {
        return bootsourceadd(url, priority, BootSources.DEFAULT_KEYRING);
    }

    /** Adds a source; "stable" and "candidate" are the MAAS presets; keyring "skip" disables verification. */
    public String bootsourceadd(String url, int priority, String keyring) throws IOException {
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

    public String bootsourceremove(long id) throws IOException {
        try {
            service.sources.delete(id);
            return "Boot source " + id + " removed with its selections";
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    public String bootselections(long id) throws IOException {
        try {
            return service.sources.selections(id).stream().map(Object::toString).collect(Collectors.joining("\n"));
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    public String bootselect(long id, String os, String release, String... arches) throws IOException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("os", List.of(os));
        params.put("release", List.of(release));
        params.put("arches", arches.length == 0 ? List.of("*") : new ArrayList<>(List.of(arches)));
        try {
            return "Selection " + service.sources.createSelection(id, params).id() + " added";
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    public String bootunselect(long id, long selection) throws IOException {
        try {
            service.sources.deleteSelection(id, selection);
            return "Selection " + selection + " removed";
        } catch (ApiException e) {
            return "Error: " + describe(e);
        }
    }

    private static String describe(ApiException e) {
        return e.fieldErrors().isEmpty() ? e.getMessage() : e.fieldErrors().toString();
    }
}
