package io.metalforge.api.inspect;

import java.util.Objects;

/**
 * What the uploader declared about an image, which the doctor checks the content against.
 *
 * @param filetype     stored filetype, e.g. "root-tgz", "root-dd.xz"
 * @param architecture "arch/subarch", e.g. "amd64/generic", or "" when unknown
 * @param baseImage    "os/series" of a custom image, e.g. "ubuntu/noble"; "" for other images
 */
public record ImageExpectation(String filetype, String architecture, String baseImage) {
    public ImageExpectation {
        Objects.requireNonNull(filetype, "filetype");
        architecture = architecture == null ? "" : architecture;
        baseImage = baseImage == null ? "" : baseImage;
    }

    /** The arch part of {@link #architecture()}, e.g. "amd64". */
    public String arch() {
        int slash = architecture.indexOf('/');
        return slash < 0 ? architecture : architecture.substring(0, slash);
    }

    /** The os part of {@link #baseImage()}, e.g. "ubuntu"; "" when none. */
    public String baseOs() {
        int slash = baseImage.indexOf('/');
        return slash < 0 ? baseImage : baseImage.substring(0, slash);
    }
}
