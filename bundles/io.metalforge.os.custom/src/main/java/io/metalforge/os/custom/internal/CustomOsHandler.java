package io.metalforge.os.custom.internal;

import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.support.BasicOsHandler;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;

/**
 * Uploaded images of any OS. The release is the image's own name; the OS it really is comes from its base image,
 * which the composer resolves through the base's handler.
 */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + CustomOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class CustomOsHandler extends BasicOsHandler {

    static final String NAME = "custom";
    /** Image names: no spaces or control characters, no path tricks, bounded length. */
    private static final Pattern NAME_RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,62}");

    public CustomOsHandler() {
        // not a base itself, and no architectures of its own: a custom image is its base's
        super(OsDescription.of(NAME, "Custom", "").filetypes(ImageFiletypes.of(ImageFiletypes.TARBALL,
                ImageFiletypes.DISK_IMAGE, ImageFiletypes.SQUASHFS)));
    }

    @Override
    public String validReleases() {
        return "an image name of up to 63 letters, digits, '.', '_', '+' and '-', starting with a letter or digit";
    }

    @Override
    public String releaseTitle(String release) {
        return release;
    }

    @Override
    public boolean isReleaseSupported(String release) {
        return release != null && NAME_RULE.matcher(release).matches();
    }
}
