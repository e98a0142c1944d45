package io.metalforge.os.ubuntu.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.BootPurpose;
import io.metalforge.api.os.CustomImageCheck;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.PackageProxy;
import io.metalforge.api.os.support.BasicOsHandler;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;

/**
 * Ubuntu: the only family that commissions and boots the ephemeral environment. What releases exist, their titles
 * and support dates come from the release table, not from code.
 */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + UbuntuOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class UbuntuOsHandler extends BasicOsHandler {

    static final String NAME = "ubuntu";
    static final String DEFAULT_RELEASE = "noble";
    /** Old enough that its ephemeral environment no longer boots current hardware. */
    private static final String NEVER_COMMISSIONS = "xenial";

    private final UbuntuReleaseTable table;
    private final Clock clock;

    @Activate
    public UbuntuOsHandler() {
        this(UbuntuReleaseTable.shipped(), Clock.systemUTC());
    }

    UbuntuOsHandler(UbuntuReleaseTable table, Clock clock) {
        super(OsDescription.of(NAME, "Ubuntu", DEFAULT_RELEASE)
                .purposes(Set.of(BootPurpose.COMMISSIONING, BootPurpose.INSTALL, BootPurpose.XINSTALL,
                        BootPurpose.DISKLESS))
                .filetypes(ImageFiletypes.of(ImageFiletypes.TARBALL, ImageFiletypes.SQUASHFS))
                // curtin configures Ubuntu itself (no hooks needed); netplan applies the v2 network config
                .linux(PackageProxy.APT, NAME).customImageChecks(Set.of(CustomImageCheck.CLOUD_INIT,
                        CustomImageCheck.NETPLAN))
                .appliesNetworkConfig()
                .architectures("amd64/generic", "arm64/generic", "armhf/generic", "i386/generic", "ppc64el/generic",
                        "s390x/generic", "riscv64/generic"));
        this.table = table;
        this.clock = clock;
    }

    @Override
    public String releaseTitle(String release) {
        return table.find(release).map(UbuntuRelease::title).orElse(release);
    }

    @Override
    public boolean isReleaseSupported(String release) {
        return table.find(release).isPresent();
    }

    @Override
    public List<String> supportedReleases() {
        return table.all().stream().map(UbuntuRelease::series).toList();
    }

    @Override
    public Optional<String> releaseVersion(String release) {
        return table.find(release).map(UbuntuRelease::number);
    }

    /** LTS releases still under extended security maintenance, newest first. */
    @Override
    public List<String> commissioningReleases() {
        LocalDate today = LocalDate.now(clock);
        return table.all().stream()
                .filter(r -> r.lts() && r.esmSupportedOn(today) && !r.series().equals(NEVER_COMMISSIONS))
                .map(UbuntuRelease::series)
                .sorted((a, b) -> -releaseVersion(a).orElse("").compareTo(releaseVersion(b).orElse("")))
                .toList();
    }

    /** Netplan (version 2) from 16.04, ENI (version 1) before. */
    @Override
    public int networkConfigVersion(String release) {
        return releaseVersion(release).map(v -> v.compareTo("16.04") >= 0 ? 2 : 1).orElse(1);
    }

    @Override
    public String defaultCommissioningRelease() {
        return DEFAULT_RELEASE;
    }
}
