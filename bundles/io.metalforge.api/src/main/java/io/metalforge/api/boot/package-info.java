/**
 * Netboot: what a booting machine is told to do. The machines bundle provides {@link io.metalforge.api.boot.BootTargets};
 * the boot servers (HTTP on 5248, TFTP) and the boot methods read it to answer a firmware's request for a
 * per-machine boot configuration. Boot methods ({@link io.metalforge.api.boot.BootMethod}) are a whiteboard: each says
 * which request paths are its configs and renders them through {@link io.metalforge.api.boot.BootTemplates}; the boot
 * service ({@link io.metalforge.api.boot.BootFiles}) resolves every path both servers are asked for.
 */
@Export
@Version("1.0.0")
package io.metalforge.api.boot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
