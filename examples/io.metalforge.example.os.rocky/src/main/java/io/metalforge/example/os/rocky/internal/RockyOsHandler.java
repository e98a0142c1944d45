package io.metalforge.example.os.rocky.internal;

import java.util.List;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.PackageProxy;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;
import io.metalforge.api.os.support.PatternOsHandler;

/**
 * Rocky Linux, as a vendor would add it, built on the OS handler SDK (io.metalforge.api.os.support): releases
 * "rocky8", "rocky9", "rocky10", installed by curtin from a root tarball. Being Linux, it can be a custom image's
 * base; such an image needs cloud-init and curtin hooks, and its package manager is yum. Registered with its name as
 * the identifying service property; the platform picks it up on arrival and forgets it when the bundle goes.
 */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + RockyOsHandler.NAME)
public class RockyOsHandler extends PatternOsHandler {

    static final String NAME = "rocky";
    private static final Pattern RELEASE = Pattern.compile("rocky(?<major>\\d{1,2})");
    private static final List<String> KNOWN = List.of("rocky8", "rocky9", "rocky10");

    public RockyOsHandler() {
        super(OsDescription.of(NAME, "Rocky Linux", "rocky9")
                .filetypes(ImageFiletypes.TARBALL)
                .linux(PackageProxy.YUM, "rocky")
                .appliesNetworkConfig()
                .architectures("amd64/generic", "arm64/generic"),
                RELEASE, m -> "Rocky Linux " + m.group("major"), "rocky<major>, e.g. " + String.join(", ", KNOWN));
    }

    @Override
    public List<String> supportedReleases() {
        return KNOWN;
    }
}
