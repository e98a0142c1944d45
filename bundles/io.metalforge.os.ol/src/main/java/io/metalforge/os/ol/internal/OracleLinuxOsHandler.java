package io.metalforge.os.ol.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.PackageProxy;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;
import io.metalforge.api.os.support.PatternOsHandler;

/** Oracle Linux: releases "ol8", "ol9.4", "9", optionally "-Title"; root tarballs. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + OracleLinuxOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class OracleLinuxOsHandler extends PatternOsHandler {

    static final String NAME = "ol";
    private static final Pattern RELEASE = Pattern.compile(
            "(?:ol)?(?<major>[1-9][0-9]?)(?:\\.(?<minor>[0-9]{1,2}))?(?:-(?<title>.+))?");

    public OracleLinuxOsHandler() {
        super(OsDescription.of(NAME, "Oracle Linux", "ol9").filetypes(ImageFiletypes.TARBALL)
                .linux(PackageProxy.YUM, "ol").architectures("amd64/generic", "arm64/generic"), RELEASE,
                versionTitle("Oracle Linux"), "ol<major>[.<minor>] or <major>[.<minor>], e.g. ol9, ol8.10");
    }
}
