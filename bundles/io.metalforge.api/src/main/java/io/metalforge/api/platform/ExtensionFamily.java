package io.metalforge.api.platform;

/** The four kinds of extension a bundle can add to a running platform. */
public enum ExtensionFamily {
    IMAGE_SOURCE("image source"),
    OS_HANDLER("OS handler"),
    BLOB_STORE("blob store"),
    POWER_DRIVER("power driver");

    private final String label;

    ExtensionFamily(String label) {
        this.label = label;
    }

    /** Human name used in messages, e.g. "OS handler". */
    public String label() {
        return label;
    }
}
