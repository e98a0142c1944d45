package io.metalforge.os.centos.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.PackageProxy;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;
import io.metalforge.api.os.support.PatternOsHandler;

/** CentOS: releases "centos70", "centos8", "8", optionally "-Title"; installed from root tarballs. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + CentosOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class CentosOsHandler extends PatternOsHandler {

    static final String NAME = "centos";
    // one-digit major as MAAS has it: "centos70" is 7.0, not 70
    private static final Pattern RELEASE = Pattern.compile(
            "(?:centos)?(?<major>[1-9])(?<minor>[0-9]{0,2})(?:-(?<title>.+))?");

    public CentosOsHandler() {
        super(OsDescription.of(NAME, "CentOS", "centos70").filetypes(ImageFiletypes.TARBALL)
                .linux(PackageProxy.YUM, "centos").appliesNetworkConfig()
                .architectures("amd64/generic", "arm64/generic", "ppc64el/generic"), RELEASE, m -> {
            String title = group(m, "title");
            if (!title.isEmpty()) {
                return title;
            }
            String minor = group(m, "minor");
            return "CentOS " + m.group("major") + (minor.isEmpty() || minor.equals("0") ? "" : "." + minor);
        }, "centos<major>[<minor>] or <major>[<minor>], e.g. centos70, centos8");
    }
}
