package io.metalforge.api.platform;

/**
 * Thrown when a caller needs an extension (an OS handler, a power driver, ...) that is not registered right now,
 * for example because its bundle was removed. The message is meant for the operator.
 */
public class ExtensionNotInstalledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExtensionFamily family;
    private final String name;

    public ExtensionNotInstalledException(ExtensionFamily family, String name) {
        super(family.label() + " '" + name + "' is not installed");
        this.family = family;
        this.name = name;
    }

    /**
     * The error naming the valid choices, e.g. "OS handler 'rocky' is not installed; installed: centos, custom".
     *
     * @since 1.1
     */
    public ExtensionNotInstalledException(ExtensionFamily family, String name, java.util.Collection<String> installed) {
        super(family.label() + " '" + name + "' is not installed; installed: "
                + (installed.isEmpty() ? "none" : String.join(", ", installed)));
        this.family = family;
        this.name = name;
    }

    public ExtensionFamily family() {
        return family;
    }

    public String name() {
        return name;
    }
}
