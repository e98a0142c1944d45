package io.metalforge.example.os.rocky.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import io.metalforge.api.os.BootPurpose;
import io.metalforge.api.os.OsHandler;

/**
 * Rocky Linux, as a vendor would add it: releases "rocky8", "rocky9", "rocky10", installed by curtin from a root
 * tarball. Registered with its name as the identifying service property; the platform picks it up on arrival.
 */
@Component(property = OsHandler.PROPERTY_NAME + "=" + RockyOsHandler.NAME)
public class RockyOsHandler implements OsHandler {

    static final String NAME = "rocky";
    private static final Pattern RELEASE = Pattern.compile("rocky(\\d{1,2})");
    private static final List<String> KNOWN = List.of("rocky8", "rocky9", "rocky10");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Rocky Linux";
    }

    @Override
    public String defaultRelease() {
        return "rocky9";
    }

    @Override
    public String releaseTitle(String release) {
        Matcher m = RELEASE.matcher(release == null ? "" : release);
        return m.matches() ? "Rocky Linux " + m.group(1) : release;
    }

    @Override
    public boolean isReleaseSupported(String release) {
        return release != null && RELEASE.matcher(release).matches();
    }

    @Override
    public List<String> supportedReleases() {
        return KNOWN;
    }

    @Override
    public Set<BootPurpose> purposes() {
        return Set.of(BootPurpose.XINSTALL);
    }

    @Override
    public Optional<String> curtinSourceType(String filetype) {
        if (filetype == null) {
            return Optional.empty();
        }
        return switch (filetype) {
            case "root-tgz", "root.tgz", "tgz" -> Optional.of("tgz");
            case "root-txz", "root.txz", "txz" -> Optional.of("txz");
            case "root-tbz", "root.tbz", "tbz" -> Optional.of("tbz");
            default -> Optional.empty();
        };
    }
}
