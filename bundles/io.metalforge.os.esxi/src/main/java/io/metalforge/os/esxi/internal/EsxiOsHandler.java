package io.metalforge.os.esxi.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;
import io.metalforge.api.os.support.PatternOsHandler;

/** VMware ESXi: releases "6.7", "7.0", "8.0u2", optionally "-Title"; written as disk images. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + EsxiOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class EsxiOsHandler extends PatternOsHandler {

    static final String NAME = "esxi";
    private static final Pattern RELEASE = Pattern.compile(
            "(?<major>[1-9][0-9]?)\\.(?<minor>[0-9]{1,2}(?:u[0-9])?)(?:-(?<title>.+))?");

    public EsxiOsHandler() {
        super(OsDescription.of(NAME, "VMware ESXi", "6.7").filetypes(ImageFiletypes.DISK_IMAGE)
                .architectures("amd64/generic"), RELEASE, versionTitle("VMware ESXi"),
                "<major>.<minor>[u<update>], e.g. 6.7, 8.0u2");
    }
}
