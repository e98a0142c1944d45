package io.metalforge.os.rhel.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import io.metalforge.api.os.OsHandler;
import io.metalforge.os.support.ImageFiletypes;
import io.metalforge.os.support.PatternOsHandler;

/** Red Hat Enterprise Linux: releases "rhel7", "rhel8.8", "9", optionally "-Title"; root tarballs. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + RhelOsHandler.NAME)
public class RhelOsHandler extends PatternOsHandler {

    static final String NAME = "rhel";
    private static final Pattern RELEASE = Pattern.compile(
            "(?:rhel)?(?<major>[1-9][0-9]?)(?:\\.(?<minor>[0-9]{1,2}))?(?:-(?<title>.+))?");

    public RhelOsHandler() {
        super(NAME, "Redhat Enterprise Linux", "rhel7", ImageFiletypes.TARBALL, RELEASE,
                versionTitle("Red Hat Enterprise Linux"));
    }
}
