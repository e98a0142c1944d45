package io.metalforge.preseed.internal;

import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;

/** The single argument curtin installs from: the image URL on the rack, with the prefix its source type needs. */
final class ImageSource {

    static final String EPHEMERAL_ROOT = "cp:///media/root-ro";

    private ImageSource() {
    }

    static String url(DeployImage image, String sourceType, DeploySettings settings) {
        if ("squashfs".equals(sourceType)) {
            // the ephemeral environment booted this very root: copy it instead of downloading again
            return "precise".equals(image.release()) ? "fsimage:" + http(image, settings) : EPHEMERAL_ROOT;
        }
        String url = http(image, settings);
        return sourceType.startsWith("dd-") ? sourceType + ":" + url : url;
    }

    private static String http(DeployImage image, DeploySettings settings) {
        return "http://" + settings.bootServerHost() + ":5248/images/" + image.fileHash() + "/" + image.os() + "/"
                + image.architecture() + "/" + image.subarch() + "/" + image.release() + "/" + image.label() + "/"
                + image.filename();
    }
}
