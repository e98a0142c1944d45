package io.metalforge.example.boot.petitboot.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import io.metalforge.api.boot.BootMethod;
import io.metalforge.api.boot.BootParameters;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequest;
import io.metalforge.api.boot.BootTemplates;

/**
 * A vendor boot method: machines whose firmware runs petitboot (OpenPOWER) fetch {@code petitboot/<mac>} and read a
 * kboot-style config, one {@code label='kernel args'} line per entry. Everything else (the machine, the ephemeral
 * image, the kernel command line) comes from the platform; the bundle only names its paths and ships its templates
 * under {@code templates/boot/petitboot/}.
 */
@Component(property = BootMethod.PROPERTY_NAME + "=" + PetitbootBootMethod.NAME)
public class PetitbootBootMethod implements BootMethod {

    static final String NAME = "petitboot";
    private static final Pattern PATH = Pattern.compile(
            "petitboot/(?:(?<mac>[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5})|default)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<BootRequest> match(String path, BootProtocol protocol) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(m.group("mac") != null
                ? new BootRequest(NAME, BootRequest.Kind.MACHINE, m.group("mac"), "", "")
                : new BootRequest(NAME, BootRequest.Kind.DEFAULT, "", "ppc64el", ""));
    }

    @Override
    public String render(BootRequest request, BootParameters parameters, BootTemplates templates) {
        return templates.render(this, BootTemplates.purposeNames(parameters.intent().purpose(), parameters.arch(),
                parameters.subarch()), parameters.values());
    }
}
