package io.metalforge.os.esxi.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import io.metalforge.api.os.OsHandler;
import io.metalforge.os.support.ImageFiletypes;
import io.metalforge.os.support.PatternOsHandler;

/** VMware ESXi: releases "6.7", "7.0", "8.0u2", optionally "-Title"; written as disk images. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + EsxiOsHandler.NAME)
public class EsxiOsHandler extends PatternOsHandler {

    static final String NAME = "esxi";
    private static final Pattern RELEASE = Pattern.compile(
            "(?<major>[1-9][0-9]?)\\.(?<minor>[0-9]{1,2}(?:u[0-9])?)(?:-(?<title>.+))?");

    public EsxiOsHandler() {
        super(NAME, "VMware ESXi", "6.7", ImageFiletypes.DISK_IMAGE, RELEASE, versionTitle("VMware ESXi"));
    }
}
