package io.metalforge.os.support;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.metalforge.api.os.BootPurpose;
import io.metalforge.api.os.OsHandler;

/**
 * The fixed facts of an OS family (name, title, default release, purposes, installable filetypes); subclasses say
 * which releases exist and what they are called.
 */
public abstract class BasicOsHandler implements OsHandler {

    private final String name;
    private final String title;
    private final String defaultRelease;
    private final Set<BootPurpose> purposes;
    private final Map<String, String> filetypes;

    protected BasicOsHandler(String name, String title, String defaultRelease, Set<BootPurpose> purposes,
            Map<String, String> filetypes) {
        this.name = Objects.requireNonNull(name);
        this.title = Objects.requireNonNull(title);
        this.defaultRelease = Objects.requireNonNull(defaultRelease);
        this.purposes = Set.copyOf(purposes);
        this.filetypes = Map.copyOf(filetypes);
    }

    /** An install-only (xinstall) family. */
    protected BasicOsHandler(String name, String title, String defaultRelease, Map<String, String> filetypes) {
        this(name, title, defaultRelease, Set.of(BootPurpose.XINSTALL), filetypes);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final String defaultRelease() {
        return defaultRelease;
    }

    @Override
    public final Set<BootPurpose> purposes() {
        return purposes;
    }

    @Override
    public final Optional<String> curtinSourceType(String filetype) {
        return filetype == null ? Optional.empty() : Optional.ofNullable(filetypes.get(filetype));
    }

    @Override
    public List<String> supportedReleases() {
        return List.of();
    }
}
