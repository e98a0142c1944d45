package io.metalforge.boot.pxelinux.internal;

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
 * PXELINUX, as MAAS's "pxe" boot method: the firmware loads lpxelinux.0 over TFTP, whose path-prefix (DHCP option 210)
 * points at {@code http://<server>:5248/}; lpxelinux then asks for {@code pxelinux.cfg/<uuid>} (not answered),
 * {@code pxelinux.cfg/01-<mac with '-'>}, the hex IP names (not answered) and {@code pxelinux.cfg/default}.
 */
@Component(property = BootMethod.PROPERTY_NAME + "=" + PxelinuxBootMethod.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class PxelinuxBootMethod implements BootMethod {

    static final String NAME = "pxe";
    private static final Pattern CONFIG = Pattern.compile("pxelinux\\.cfg/(?:01-(?<mac>[0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2}){5})"
            + "|default(?:[.-](?<arch>[a-z0-9_]+)(?:-(?<subarch>[a-z0-9_.-]+))?)?)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<BootRequest> match(String path, BootProtocol protocol) {
        Matcher m = CONFIG.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group("mac") != null) {
            return Optional.of(new BootRequest(NAME, BootRequest.Kind.MACHINE, m.group("mac"), "", ""));
        }
        return Optional.of(new BootRequest(NAME, BootRequest.Kind.DEFAULT, "", m.group("arch"), m.group("subarch")));
    }

    @Override
    public String render(BootRequest request, BootParameters parameters, BootTemplates templates) {
        return templates.render(this, BootTemplates.purposeNames(parameters.intent().purpose(), parameters.arch(),
                parameters.subarch()), parameters.values());
    }
}
