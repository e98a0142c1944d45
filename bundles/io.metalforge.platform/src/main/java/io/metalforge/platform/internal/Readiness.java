package io.metalforge.platform.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * What keeps the platform from being ready, as read from the framework and from Declarative Services' runtime:
 * a bundle that is not active (a fragment that is not resolved), an enabled component whose references are not
 * satisfied or whose activation failed, an immediate component not yet active. A delayed component that is
 * satisfied counts as ready: DS activates it on first use. A component that waits for a required configuration
 * the operator has not given does not hold up the start.
 */
final class Readiness {

    private Readiness() {
    }

    static List<String> problems(Bundle[] bundles, Collection<ComponentDescriptionDTO> components,
            Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations,
            Function<ComponentDescriptionDTO, Boolean> enabled) {
        List<String> problems = new ArrayList<>(notActive(bundles));
        for (ComponentDescriptionDTO c : components) {
            if (!enabled.apply(c)) {
                continue;
            }
            for (ComponentConfigurationDTO config : configurations.apply(c)) {
                String problem = problem(c, config);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    private static String problem(ComponentDescriptionDTO c, ComponentConfigurationDTO config) {
        String who = "component " + c.name + " (" + c.bundle.symbolicName + ")";
        return switch (config.state) {
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> who + " is missing " + missing(c, config);
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> who + " failed to activate: " + config.failure;
            case ComponentConfigurationDTO.SATISFIED -> c.immediate ? who + " is activating" : null;
            default -> null;
        };
    }

    /** The unsatisfied references, each as {@code name (interface[, target])}. */
    static String missing(ComponentDescriptionDTO c, ComponentConfigurationDTO config) {
        List<String> refs = new ArrayList<>();
        for (UnsatisfiedReferenceDTO u : config.unsatisfiedReferences) {
            String type = Arrays.stream(c.references).filter(r -> r.name.equals(u.name)).map(
                    (ReferenceDTO r) -> r.interfaceName).findFirst().orElse("?");
            // bnd names constructor parameters' references $000, $001...: then the type says it all
            String name = u.name.startsWith("$") ? type : u.name + " (" + type;
            refs.add(name + (u.target == null ? "" : ", target " + u.target) + (u.name.startsWith("$") ? "" : ")"));
        }
        return String.join(", ", refs);
    }

    /** Bundles that keep the platform from being ready; the system bundle counts too. */
    static List<String> notActive(Bundle[] bundles) {
        return Arrays.stream(bundles).filter(b -> !isReady(b))
                .map(b -> "bundle " + b.getSymbolicName() + " " + state(b)).toList();
    }

    private static boolean isReady(Bundle b) {
        boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        return fragment ? b.getState() == Bundle.RESOLVED : b.getState() == Bundle.ACTIVE;
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }
}
