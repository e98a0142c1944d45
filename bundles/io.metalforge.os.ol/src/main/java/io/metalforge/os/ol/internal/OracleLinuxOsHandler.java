package io.metalforge.os.ol.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import io.metalforge.api.os.OsHandler;
import io.metalforge.os.support.ImageFiletypes;
import io.metalforge.os.support.PatternOsHandler;

/** Oracle Linux: releases "ol8", "ol9.4", "9", optionally "-Title"; root tarballs. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + OracleLinuxOsHandler.NAME)
public class OracleLinuxOsHandler extends PatternOsHandler {

    static final String NAME = "ol";
    private static final Pattern RELEASE = Pattern.compile(
            "(?:ol)?(?<major>[1-9][0-9]?)(?:\\.(?<minor>[0-9]{1,2}))?(?:-(?<title>.+))?");

    public OracleLinuxOsHandler() {
        super(NAME, "Oracle Linux", "ol9", ImageFiletypes.TARBALL, RELEASE, versionTitle("Oracle Linux"));
    }
}
