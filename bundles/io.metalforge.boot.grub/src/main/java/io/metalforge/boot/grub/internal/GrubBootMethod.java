package io.metalforge.boot.grub.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.boot.BootMethod;
import io.metalforge.api.boot.BootParameters;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequest;
import io.metalforge.api.boot.BootTemplates;

/**
 * GRUB on UEFI (amd64 and arm64), as MAAS's "uefi_*" boot methods: GRUB reads {@code grub/grub.cfg}, which tries
 * {@code grub/grub.cfg-${net_default_mac}} and then {@code grub/grub.cfg-default-${grub_cpu}}. A config asked for
 * over TFTP names the kernel as {@code (http,<server>)/images/...}; one asked for over HTTP as {@code /images/...}
 * on the same server.
 */
@Component(property = BootMethod.PROPERTY_NAME + "=" + GrubBootMethod.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class GrubBootMethod implements BootMethod {

    static final String NAME = "uefi";
    private static final Pattern CONFIG = Pattern.compile("grub/grub\\.cfg-(?:(?<mac>[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5})"
            + "|default-(?<arch>[a-z0-9_]+))");
    /** GRUB's ${grub_cpu} against MAAS's architecture names. */
    private static final Map<String, String> ARCH = Map.of("x86_64", "amd64", "i386", "i386", "arm64", "arm64",
            "aarch64", "arm64", "amd64", "amd64", "powerpc", "ppc64el", "riscv64", "riscv64");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<BootRequest> match(String path, BootProtocol protocol) {
        if (path.equals("grub/grub.cfg")) {
            return Optional.of(new BootRequest(NAME, BootRequest.Kind.PRELOADER, "", "", ""));
        }
        Matcher m = CONFIG.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group("mac") != null) {
            return Optional.of(new BootRequest(NAME, BootRequest.Kind.MACHINE, m.group("mac"), "", ""));
        }
        String arch = ARCH.get(m.group("arch"));
        return arch == null ? Optional.empty()
                : Optional.of(new BootRequest(NAME, BootRequest.Kind.DEFAULT, "", arch, ""));
    }

    @Override
    public String render(BootRequest request, BootParameters parameters, BootTemplates templates) {
        Map<String, String> values = new java.util.LinkedHashMap<>(parameters.values());
        values.put("fs_efihost", parameters.protocol() == BootProtocol.TFTP
                ? "(http," + parameters.serverAddress() + ")/images/" : "/images/");
        // GRUB reads '{' and '}' as block delimiters in its command line, so MAAS escapes cc:{...}end_cc
        values.put("kernel_params", escapeBraces(parameters.kernelCommandLine()));
        if (request.kind() == BootRequest.Kind.PRELOADER) {
            return templates.render(this, List.of("grub.cfg.template"), values);
        }
        return templates.render(this, BootTemplates.purposeNames(parameters.intent().purpose(), parameters.arch(),
                parameters.subarch()), values);
    }

    static String escapeBraces(String commandLine) {
        return commandLine.replace("{", "\\{").replace("}", "\\}");
    }
}
