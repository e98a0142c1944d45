package io.metalforge.api.os.support;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.metalforge.api.os.BootPurpose;
import io.metalforge.api.os.CustomImageCheck;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.PackageProxy;

/**
 * An {@link OsHandler} answering from an {@link OsDescription}; subclasses say which releases exist and what they are
 * called, and override what depends on the release (e.g. {@link #networkConfigVersion(String)}).
 */
public abstract class BasicOsHandler implements OsHandler {

    private final OsDescription d;

    protected BasicOsHandler(OsDescription description) {
        this.d = description;
    }

    @Override
    public final String name() {
        return d.name;
    }

    @Override
    public final String title() {
        return d.title;
    }

    @Override
    public final String defaultRelease() {
        return d.defaultRelease;
    }

    @Override
    public final Set<BootPurpose> purposes() {
        return d.purposes;
    }

    @Override
    public final Optional<String> curtinSourceType(String filetype) {
        return filetype == null ? Optional.empty() : Optional.ofNullable(d.filetypes.get(filetype));
    }

    @Override
    public List<String> supportedReleases() {
        return List.of();
    }

    @Override
    public final boolean isLinux() {
        return d.linux;
    }

    @Override
    public boolean isCustomImageBase() {
        return d.customImageBase;
    }

    @Override
    public Set<CustomImageCheck> customImageChecks() {
        return d.customImageChecks;
    }

    @Override
    public boolean appliesNetworkConfig() {
        return d.appliesNetworkConfig;
    }

    @Override
    public PackageProxy packageProxy() {
        return d.packageProxy;
    }

    @Override
    public Set<String> architectures() {
        return d.architectures;
    }

    @Override
    public Set<String> osReleaseIds() {
        return d.osReleaseIds;
    }
}
