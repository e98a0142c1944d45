package io.metalforge.os.rhel.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.PackageProxy;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;
import io.metalforge.api.os.support.PatternOsHandler;

/** Red Hat Enterprise Linux: releases "rhel7", "rhel8.8", "9", optionally "-Title"; root tarballs. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + RhelOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class RhelOsHandler extends PatternOsHandler {

    static final String NAME = "rhel";
    private static final Pattern RELEASE = Pattern.compile(
            "(?:rhel)?(?<major>[1-9][0-9]?)(?:\\.(?<minor>[0-9]{1,2}))?(?:-(?<title>.+))?");

    public RhelOsHandler() {
        super(OsDescription.of(NAME, "Redhat Enterprise Linux", "rhel7").filetypes(ImageFiletypes.TARBALL)
                .linux(PackageProxy.YUM, "rhel").appliesNetworkConfig()
                .architectures("amd64/generic", "arm64/generic", "ppc64el/generic", "s390x/generic"), RELEASE,
                versionTitle("Red Hat Enterprise Linux"),
                "rhel<major>[.<minor>] or <major>[.<minor>], e.g. rhel9, rhel8.8");
    }
}
