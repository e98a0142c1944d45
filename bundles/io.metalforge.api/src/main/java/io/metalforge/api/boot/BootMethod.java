package io.metalforge.api.boot;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way machines netboot (PXELINUX, GRUB, iPXE, ...): which request paths are its configs, and how to render them.
 * A bundle adds one by registering an implementation with {@link #PROPERTY_NAME} set to {@link #name()}; the boot
 * servers ask every registered method, in name order, whether a path is theirs.
 *
 * <p>
 * The boot service does the rest: it finds the machine by MAC ({@link BootTargets}; unknown MAC means 404), chooses
 * the ephemeral kernel and initrd, composes the kernel command line, and logs the request.
 */
@ConsumerType
public interface BootMethod {

    /** Service property that carries {@link #name()}. */
    String PROPERTY_NAME = "metalforge.boot.method";

    /** Identifying name, e.g. "pxe", "uefi", "ipxe". */
    String name();

    /**
     * Whether {@code path} is one of this method's configs. {@code path} is URL-decoded, uses '/', and has no leading
     * '/' ("pxelinux.cfg/01-52-54-00-12-34-56"). Returns empty when the path is not this method's.
     */
    Optional<BootRequest> match(String path, BootProtocol protocol);

    /**
     * The config text for a request this method {@linkplain #match matched}. Templates are rendered through
     * {@code templates} so an operator can override them.
     *
     * @throws IllegalArgumentException when no template exists for the purpose
     */
    String render(BootRequest request, BootParameters parameters, BootTemplates templates);
}
