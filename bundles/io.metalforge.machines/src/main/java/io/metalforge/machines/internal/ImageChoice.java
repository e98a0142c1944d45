package io.metalforge.machines.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.os.OsHandler;

/**
 * Which image a deploy installs: {@code distro_series} as "ubuntu/noble", "noble" (with {@code osystem}, default
 * ubuntu) or "custom/golden", found in the catalog for the machine's architecture, in its newest complete set, with
 * a file the OS handler can install.
 */
final class ImageChoice {

    /** Filetypes in the order a deploy prefers them. */
    private static final List<String> PREFERRED = List.of("squashfs", "root-tgz", "root-tbz", "root-txz",
            "root-dd", "root-dd.tar", "root-dd.raw", "root-dd.gz", "root-dd.xz", "root-dd.bz2", "root-dd.tar.xz",
            "root-image.gz");

    private ImageChoice() {
    }

    /** os and release of a deploy request. */
    record Series(String os, String release) {
        String name() {
            return os + "/" + release;
        }
    }

    static Series series(String osystem, String distroSeries, String defaultRelease) throws ApiException {
        String series = distroSeries == null || distroSeries.isBlank() ? defaultRelease : distroSeries.strip();
        String os = osystem == null || osystem.isBlank() ? "ubuntu" : osystem.strip();
        int slash = series.indexOf('/');
        if (slash >= 0) {
            os = series.substring(0, slash);
            series = series.substring(slash + 1);
        }
        if (os.isEmpty() || series.isEmpty() || series.length() > 200 || !series.matches("[A-Za-z0-9._+-]+")
                || !os.matches("[a-z0-9-]+")) {
            throw ApiException.validation(java.util.Map.of("distro_series", List.of("'" + printable(distroSeries)
                    + "' is not a valid distro_series.")));
        }
        return new Series(os, series);
    }

    /** The image to deploy, or a 400 saying what is missing. */
    static DeployImage choose(BootResourceCatalog catalog, OsHandler handler, Series series, String arch,
            String subarch) throws ApiException {
        List<String> names = series.os().equals("custom") ? List.of(series.name(), series.release())
                : List.of(series.name());
        for (BootResource r : catalog.resources(Optional.empty())) {
            if (!names.contains(r.name()) || !r.arch().equals(arch)) {
                continue;
            }
            List<BootResourceSet> sets = new ArrayList<>(catalog.sets(r.id()));
            Collections.reverse(sets);
            for (BootResourceSet set : sets) {
                if (!catalog.isComplete(set.id())) {
                    continue;
                }
                List<BootResourceFile> files = catalog.files(set.id());
                for (String type : PREFERRED) {
                    for (BootResourceFile f : files) {
                        if (f.filetype().equals(type) && handler.curtinSourceType(type).isPresent()) {
                            String sub = r.type() == ResourceType.UPLOADED || r.subarch().isEmpty() ? subarch
                                    : r.subarch();
                            return new DeployImage(series.os(), series.release(), arch, sub, f.filetype(),
                                    f.filename(), f.filenameOnDisk(), set.label(), r.baseImage());
                        }
                    }
                }
            }
        }
        throw ApiException.badRequest("No usable image " + series.name() + " for architecture " + arch
                + ": upload or import it first (a complete set with a file the " + series.os()
                + " handler can install).");
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
