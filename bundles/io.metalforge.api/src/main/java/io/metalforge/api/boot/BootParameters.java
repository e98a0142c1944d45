package io.metalforge.api.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link BootMethod} renders a config from; built by the boot service for each request.
 *
 * @param protocol          how the config was asked for
 * @param intent            what the machine should do (ENLIST for a {@link BootRequest.Kind#DEFAULT} request)
 * @param target            the machine, or null for a default or pre-loader config
 * @param serverAddress     "host:port" the machine reaches the boot HTTP server at (the advertised address)
 * @param kernelPath        the ephemeral kernel under /images/ ("&lt;sha&gt;/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel"),
 *                          "" when no ephemeral image is available
 * @param initrdPath        the ephemeral initrd under /images/, or ""
 * @param kernelCommandLine the kernel command line as MAAS composes it, without BOOTIF (each method adds its own)
 * @param arch              the architecture being booted ("amd64")
 * @param subarch           its subarchitecture ("generic")
 */
public record BootParameters(BootProtocol protocol, BootIntent intent, BootTarget target, String serverAddress,
        String kernelPath, String initrdPath, String kernelCommandLine, String arch, String subarch) {

    public BootParameters {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(serverAddress, "serverAddress");
        kernelPath = kernelPath == null ? "" : kernelPath;
        initrdPath = initrdPath == null ? "" : initrdPath;
        kernelCommandLine = kernelCommandLine == null ? "" : kernelCommandLine;
        arch = arch == null ? "" : arch;
        subarch = subarch == null ? "" : subarch;
    }

    /** The machine, when the request named a known one. */
    public Optional<BootTarget> machine() {
        return Optional.ofNullable(target);
    }

    /** The host part of {@link #serverAddress()}. */
    public String serverHost() {
        String a = serverAddress;
        if (a.startsWith("[")) {
            return a.substring(0, a.indexOf(']') + 1);
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    /** "http://host:port/images/", the base of kernel and initrd URLs. */
    public String imagesUrl() {
        return "http://" + serverAddress + "/images/";
    }

    /**
     * The values every boot method's templates may use: {@code server}, {@code server_host}, {@code purpose},
     * {@code kernel_url}, {@code initrd_url}, {@code kernel_path}, {@code initrd_path}, {@code kernel_name} (the
     * kernel's file name), {@code kernel_params}, {@code arch}, {@code subarch}, {@code system_id}, {@code hostname},
     * {@code mac} ("" for a machine not known).
     */
    public Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("server", serverAddress);
        v.put("server_host", serverHost());
        v.put("purpose", intent.purpose());
        v.put("kernel_url", kernelPath.isEmpty() ? "" : imagesUrl() + kernelPath);
        v.put("initrd_url", initrdPath.isEmpty() ? "" : imagesUrl() + initrdPath);
        v.put("kernel_path", kernelPath);
        v.put("initrd_path", initrdPath);
        v.put("kernel_name", kernelPath.substring(kernelPath.lastIndexOf('/') + 1));
        v.put("kernel_params", kernelCommandLine);
        v.put("arch", arch);
        v.put("subarch", subarch);
        v.put("system_id", target == null ? "" : target.systemId());
        v.put("hostname", target == null ? "" : target.hostname());
        v.put("mac", target == null ? "" : target.mac());
        return v;
    }
}
