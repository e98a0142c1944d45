package io.metalforge.boot.ipxe.internal;

import java.util.List;
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
 * iPXE, as MAAS's "ipxe" boot method: DHCP hands iPXE {@code http://<server>:5248/ipxe.cfg}, which chains to
 * {@code ipxe.cfg-${mac}} (iPXE writes the MAC with ':', URL-encoded) and then {@code ipxe.cfg-default-amd64}.
 */
@Component(property = BootMethod.PROPERTY_NAME + "=" + IpxeBootMethod.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class IpxeBootMethod implements BootMethod {

    static final String NAME = "ipxe";
    private static final Pattern CONFIG = Pattern.compile(
            "ipxe\\.cfg-(?:(?<mac>[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5})|default(?:-(?<arch>[a-z0-9_]+))?)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<BootRequest> match(String path, BootProtocol protocol) {
        if (path.equals("ipxe.cfg")) {
            return Optional.of(new BootRequest(NAME, BootRequest.Kind.PRELOADER, "", "", ""));
        }
        Matcher m = CONFIG.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group("mac") != null) {
            return Optional.of(new BootRequest(NAME, BootRequest.Kind.MACHINE, m.group("mac"), "", ""));
        }
        return Optional.of(new BootRequest(NAME, BootRequest.Kind.DEFAULT, "", m.group("arch"), ""));
    }

    @Override
    public String render(BootRequest request, BootParameters parameters, BootTemplates templates) {
        if (request.kind() == BootRequest.Kind.PRELOADER) {
            return templates.render(this, List.of("ipxe.cfg.template"), parameters.values());
        }
        return templates.render(this, BootTemplates.purposeNames(parameters.intent().purpose(), parameters.arch(),
                parameters.subarch()), parameters.values());
    }
}
