package io.metalforge.preseed.internal;

import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.os.BootPurpose;
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

    static BaseImage of(DeployImage image, OsHandler imageHandler, DeploySettings settings,
            OsHandlerRegistry registry) {
        if (!image.custom()) {
            return new BaseImage(image.os(), image.release(), imageHandler);
        }
        String base = image.baseImage();
        if (base.isEmpty()) {
            base = settings.commissioningOs() + "/" + settings.commissioningRelease();
        }
        OsHandler handler;
        try {
            handler = registry.requireCustomImageBase(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("custom image '" + image.release() + "': " + e.getMessage(), e);
        }
        int slash = base.indexOf('/');
        return new BaseImage(base.substring(0, slash), base.substring(slash + 1), handler);
    }

    /** Whether the installer's ephemeral environment is the base itself: only an OS that commissions can be. */
    boolean bootsEphemeral() {
        return handler.purposes().contains(BootPurpose.COMMISSIONING);
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
