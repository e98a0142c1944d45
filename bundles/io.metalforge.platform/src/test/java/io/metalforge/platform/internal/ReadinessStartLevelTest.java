package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * A bundle above the framework's start level waits for readiness on purpose (the shell, whose prompt must come after
 * the ready line): it does not keep the platform from being ready. One at or below the level that is not active
 * does. The bundles are stand-ins (dynamic proxies): the rule reads only state, id and start levels.
 */
class ReadinessStartLevelTest {

    @Test
    void aBundleAboveTheFrameworkLevelDoesNotCountOneAtItDoes() {
        Bundle system = bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, 0, 2);
        Bundle shell = bundle(7, "org.apache.felix.gogo.shell", Bundle.RESOLVED, 3, 2);
        Bundle platform = bundle(8, "io.metalforge.platform", Bundle.ACTIVE, 1, 2);
        assertEquals(List.of(), Readiness.notActive(new Bundle[] { system, shell, platform }));

        Bundle starting = bundle(9, "io.metalforge.catalog", Bundle.STARTING, 1, 2);
        assertEquals(List.of("bundle io.metalforge.catalog STARTING"),
                Readiness.notActive(new Bundle[] { system, shell, starting }));

        // once the framework is at the shell's level, the shell counts like every other bundle
        Bundle raised = bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, 0, 3);
        assertEquals(List.of("bundle org.apache.felix.gogo.shell RESOLVED"),
                Readiness.notActive(new Bundle[] { raised, bundle(7, "org.apache.felix.gogo.shell", Bundle.RESOLVED,
                        3, 3) }));
    }

    /**
     * While the framework climbs to its beginning level it reports the level below for a moment, all of whose bundles
     * may be active: the bundles of the beginning level (Jetty, FileInstall) still count, else "ready" came before
     * the API answered (seen in LauncherScriptIT: a 404 from version/ after the ready line).
     */
    @Test
    void aBundleOfTheBeginningLevelCountsWhileTheFrameworkClimbsToIt() {
        Bundle climbing = bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, 0, 1, "2");
        Bundle platform = bundle(8, "io.metalforge.platform", Bundle.ACTIVE, 1, 1);
        Bundle jetty = bundle(9, "org.apache.felix.http.jetty12", Bundle.RESOLVED, 2, 1);
        Bundle shell = bundle(7, "org.apache.felix.gogo.shell", Bundle.RESOLVED, 3, 1);
        assertEquals(List.of("bundle org.apache.felix.http.jetty12 RESOLVED"),
                Readiness.notActive(new Bundle[] { climbing, platform, jetty, shell }));

        Bundle there = bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, 0, 2, "2");
        Bundle started = bundle(9, "org.apache.felix.http.jetty12", Bundle.ACTIVE, 2, 2);
        assertEquals(List.of(), Readiness.notActive(new Bundle[] { there, platform, started, shell }));
    }

    /**
     * The bnd launcher climbs to the beginning level itself and hands the framework a beginning level of 1 (the
     * distribution's framework property reads "1" at run time): the level the platform is complete at comes from
     * {@value Readiness#READY_LEVEL}, which the distribution sets.
     */
    @Test
    void theReadyLevelCountsWhereTheLauncherHidesTheBeginningLevel() {
        Bundle climbing = bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, 0, 1, "1", "2");
        Bundle platform = bundle(8, "io.metalforge.platform", Bundle.ACTIVE, 1, 1);
        Bundle jetty = bundle(9, "org.apache.felix.http.jetty12", Bundle.RESOLVED, 2, 1);
        Bundle shell = bundle(7, "org.apache.felix.gogo.shell", Bundle.RESOLVED, 3, 1);
        assertEquals(List.of("bundle org.apache.felix.http.jetty12 RESOLVED"),
                Readiness.notActive(new Bundle[] { climbing, platform, jetty, shell }));

        // without it, the launcher's "1" alone let Jetty look as if it waited on purpose
        Bundle unnamed = bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, 0, 1, "1", null);
        assertEquals(List.of(), Readiness.notActive(new Bundle[] { unnamed, platform, jetty, shell }));

        // a value that is not a number is ignored, not a reason to fail the check
        Bundle garbled = bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, 0, 2, "1", "two");
        Bundle started = bundle(9, "org.apache.felix.http.jetty12", Bundle.ACTIVE, 2, 2);
        assertEquals(List.of(), Readiness.notActive(new Bundle[] { garbled, platform, started, shell }));
    }

    private static Bundle bundle(long id, String name, int state, int level, int frameworkLevel) {
        return bundle(id, name, state, level, frameworkLevel, null, null);
    }

    private static Bundle bundle(long id, String name, int state, int level, int frameworkLevel, String beginning) {
        return bundle(id, name, state, level, frameworkLevel, beginning, null);
    }

    private static Bundle bundle(long id, String name, int state, int level, int frameworkLevel, String beginning,
            String readyLevel) {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getLoader(),
                new Class<?>[] { BundleContext.class }, (p, m, a) -> !m.getName().equals("getProperty") ? null
                        : Constants.FRAMEWORK_BEGINNING_STARTLEVEL.equals(a[0]) ? beginning
                        : Readiness.READY_LEVEL.equals(a[0]) ? readyLevel : null);
        BundleStartLevel bundleLevel = (BundleStartLevel) Proxy.newProxyInstance(getLoader(),
                new Class<?>[] { BundleStartLevel.class }, (p, m, a) -> m.getName().equals("getStartLevel") ? level
                        : null);
        FrameworkStartLevel framework = (FrameworkStartLevel) Proxy.newProxyInstance(getLoader(),
                new Class<?>[] { FrameworkStartLevel.class },
                (p, m, a) -> m.getName().equals("getStartLevel") ? frameworkLevel : null);
        return (Bundle) Proxy.newProxyInstance(getLoader(), new Class<?>[] { Bundle.class }, (p, m, a) -> switch (m
                .getName()) {
            case "getBundleId" -> id;
            case "getSymbolicName" -> name;
            case "getState" -> state;
            case "getHeaders" -> new Hashtable<String, String>();
            case "getBundleContext" -> context;
            case "adapt" -> a[0] == BundleStartLevel.class ? bundleLevel
                    : a[0] == FrameworkStartLevel.class && id == 0 ? framework : null;
            default -> null;
        });
    }

    private static ClassLoader getLoader() {
        return ReadinessStartLevelTest.class.getClassLoader();
    }
}
