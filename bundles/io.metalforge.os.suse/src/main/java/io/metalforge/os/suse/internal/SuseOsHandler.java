package io.metalforge.os.suse.internal;

import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.PackageProxy;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;
import io.metalforge.api.os.support.PatternOsHandler;

/** SUSE: releases "sles15.4", "opensuse15", "tumbleweed", optionally "-Title"; root tarballs. */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + SuseOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class SuseOsHandler extends PatternOsHandler {

    static final String NAME = "suse";
    private static final Pattern RELEASE = Pattern.compile(
            "(?<product>sles|opensuse|tumbleweed)(?<version>[0-9]{1,2}(?:\\.[0-9]{1,2})?)?(?:-(?<title>.+))?");
    private static final Map<String, String> PRODUCTS = Map.of("sles", "SUSE Linux Enterprise Server",
            "opensuse", "openSUSE Leap", "tumbleweed", "openSUSE Tumbleweed");

    public SuseOsHandler() {
        super(OsDescription.of(NAME, "SUSE", "tumbleweed").filetypes(ImageFiletypes.TARBALL)
                .linux(PackageProxy.NONE, "sles", "opensuse-leap", "opensuse-tumbleweed")
                .architectures("amd64/generic", "arm64/generic", "ppc64el/generic", "s390x/generic"), RELEASE, m -> {
            String title = group(m, "title");
            String version = group(m, "version");
            return !title.isEmpty() ? title
                    : PRODUCTS.get(m.group("product")) + (version.isEmpty() ? "" : " " + version);
        }, "sles<version>, opensuse<version> or tumbleweed, e.g. sles15.4, opensuse15");
    }
}
