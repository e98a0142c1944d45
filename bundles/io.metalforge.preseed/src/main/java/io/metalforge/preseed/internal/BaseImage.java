package io.metalforge.preseed.internal;

import java.util.Set;

import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;

/**
 * The OS and release the installed system really is: the image's own for everything but custom images, whose base
 * image says it (the commissioning OS when it is empty). Rules that depend on the OS (network version, apt,
 * validation commands) are decided from this.
 *
 * @param os      base OS name
 * @param release base release
 * @param handler the base OS's handler
 */
record BaseImage(String os, String release, OsHandler handler) {

    /** Not Linux, or not a real OS: cannot be the base of a custom image. */
    private static final Set<String> NOT_A_BASE = Set.of("custom", "windows", "esxi");

    static BaseImage of(DeployImage image, OsHandler imageHandler, DeploySettings settings,
            OsHandlerRegistry registry) {
        if (!image.custom()) {
            return new BaseImage(image.os(), image.release(), imageHandler);
        }
        String base = image.baseImage();
        if (base.isEmpty()) {
            base = settings.commissioningOs() + "/" + settings.commissioningRelease();
        }
        int slash = base.indexOf('/');
        if (slash <= 0 || slash == base.length() - 1 || base.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("base image '" + base + "' of custom image '" + image.release()
                    + "' is not of the form os/release");
        }
        String os = base.substring(0, slash);
        String release = base.substring(slash + 1);
        if (NOT_A_BASE.contains(os)) {
            throw new IllegalArgumentException("base image '" + base + "' of custom image '" + image.release()
                    + "': a custom image's base must be a Linux OS");
        }
        OsHandler handler = registry.require(os);
        if (!handler.isReleaseSupported(release)) {
            throw new IllegalArgumentException("base image '" + base + "' of custom image '" + image.release()
                    + "': '" + release + "' is not a " + handler.title() + " release");
        }
        return new BaseImage(os, release, handler);
    }

    boolean ubuntu() {
        return "ubuntu".equals(os);
    }

    /** "18.04" compared as numbers; false when the base has no numeric version. */
    boolean atLeast(String version) {
        return handler.releaseVersion(release).map(v -> compare(v, version) >= 0).orElse(false);
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? parse(x[i]) : 0, i < y.length ? parse(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
