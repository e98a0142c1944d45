package io.metalforge.platform.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.metalforge.api.platform.PlatformReady;

/**
 * What keeps the platform from being ready, as read from the framework and from Declarative Services' runtime:
 * a bundle that is not active (a fragment that is not resolved), an enabled component whose references are not
 * satisfied or whose activation failed, an immediate component not yet active. A delayed component that is
 * satisfied counts as ready: DS activates it on first use. A component that waits for a required configuration
 * the operator has not given does not hold up the start, nor does one that waits for {@link PlatformReady}. Every
 * configuration Configuration Admin holds for a component (the deploy folder's {@code .cfg} files, read by
 * FileInstall before the start completes) must have reached it: DS applies configurations asynchronously, and a
 * component that still runs on its defaults is not ready.
 */
final class Readiness {

    /** Framework property: the start level at which every bundle of the distribution has started. */
    static final String READY_LEVEL = "metalforge.ready.startlevel";


    private Readiness() {
    }

    static List<String> problems(Bundle[] bundles, Collection<ComponentDescriptionDTO> components,
            Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations,
            Function<ComponentDescriptionDTO, Boolean> enabled, Collection<Configured> given) {
        List<String> problems = new ArrayList<>(notActive(bundles));
        for (ComponentDescriptionDTO c : components) {
            if (!enabled.apply(c)) {
                continue;
            }
            Collection<ComponentConfigurationDTO> configs = configurations.apply(c);
            for (ComponentConfigurationDTO config : configs) {
                String problem = problem(c, config);
                if (problem != null) {
                    problems.add(problem);
                }
            }
            if (!"ignore".equals(c.configurationPolicy)) {
                for (Configured g : given) {
                    if (g.appliesTo(c) && configs.stream().noneMatch(g::appliedIn)) {
                        problems.add("configuration " + g.pid() + " is not yet applied to component " + c.name);
                    }
                }
            }
        }
        return problems;
    }

    /**
     * A configuration Configuration Admin holds (from the deploy folder, the shell or a previous run): its PID,
     * factory PID or null, and the properties a component must show once DS has applied it.
     */
    record Configured(String pid, String factoryPid, Map<String, Object> properties) {

        /** Keys that Configuration Admin and FileInstall add, which components need not show. */
        static final Set<String> BOOKKEEPING = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
                "felix.fileinstall.filename");

        boolean appliesTo(ComponentDescriptionDTO c) {
            return c.configurationPid != null && Arrays.asList(c.configurationPid).contains(
                    factoryPid == null ? pid : factoryPid);
        }

        boolean appliedIn(ComponentConfigurationDTO config) {
            Object servicePid = config.properties == null ? null : config.properties.get("service.pid");
            boolean ours = pid.equals(servicePid) || servicePid instanceof String[] a && Arrays.asList(a).contains(pid)
                    || servicePid instanceof Collection<?> l && l.contains(pid);
            return ours && properties.entrySet().stream().filter(e -> !BOOKKEEPING.contains(e.getKey()))
                    .allMatch(e -> Objects.deepEquals(e.getValue(), config.properties.get(e.getKey())));
        }
    }

    private static String problem(ComponentDescriptionDTO c, ComponentConfigurationDTO config) {
        String who = "component " + c.name + " (" + c.bundle.symbolicName + ")";
        return switch (config.state) {
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> waitsForReadyOnly(c, config) ? null
                    : who + " is missing " + missing(c, config);
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> who + " failed to activate: " + config.failure;
            case ComponentConfigurationDTO.SATISFIED -> c.immediate ? who + " is activating" : null;
            default -> null;
        };
    }

    /** True when the component waits only for {@link PlatformReady}: it runs after readiness, by design. */
    private static boolean waitsForReadyOnly(ComponentDescriptionDTO c, ComponentConfigurationDTO config) {
        return Arrays.stream(config.unsatisfiedReferences).allMatch(u -> Arrays.stream(c.references)
                .anyMatch(r -> r.name.equals(u.name) && PlatformReady.class.getName().equals(r.interfaceName)));
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

    /**
     * Bundles that keep the platform from being ready; the system bundle counts too. A bundle whose start level is
     * above the framework's does not: it waits for readiness on purpose (the shell, so that its prompt comes after
     * the ready line, see {@link ReadyAnnouncer}).
     */
    static List<String> notActive(Bundle[] bundles) {
        int frameworkLevel = Arrays.stream(bundles).filter(b -> b.getBundleId() == 0)
                .mapToInt(Readiness::targetLevel).findFirst().orElse(Integer.MAX_VALUE);
        return Arrays.stream(bundles).filter(b -> !isReady(b) && !waitsForAHigherLevel(b, frameworkLevel))
                .map(b -> "bundle " + b.getSymbolicName() + " " + state(b)).toList();
    }

    /**
     * The framework's start level or, while it is still starting, the level it is heading for. Between two levels the
     * framework reports the lower one: compared with that alone, the bundles of the next level looked as if they
     * waited on purpose, and "ready" could come before the API answered. The level it heads for is
     * {@value #READY_LEVEL} where the distribution sets it: the bnd launcher climbs to its beginning level itself and
     * hands the framework a beginning level of 1, so {@link Constants#FRAMEWORK_BEGINNING_STARTLEVEL} (read as well,
     * for other launchers) does not name it there.
     */
    private static int targetLevel(Bundle system) {
        FrameworkStartLevel framework = system.adapt(FrameworkStartLevel.class);
        if (framework == null) {
            return Integer.MAX_VALUE;
        }
        int level = framework.getStartLevel();
        BundleContext context = system.getBundleContext();
        for (String key : new String[] { READY_LEVEL, Constants.FRAMEWORK_BEGINNING_STARTLEVEL }) {
            String value = context == null ? null : context.getProperty(key);
            if (value != null && !value.isBlank()) {
                try {
                    level = Math.max(level, Integer.parseInt(value.strip()));
                } catch (NumberFormatException e) {
                    // the framework itself refuses to start with such a beginning level; a bad READY_LEVEL is ignored
                }
            }
        }
        return level;
    }

    private static boolean waitsForAHigherLevel(Bundle b, int frameworkLevel) {
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        return level != null && level.getStartLevel() > frameworkLevel;
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
