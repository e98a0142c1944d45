package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
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

    private static Bundle bundle(long id, String name, int state, int level, int frameworkLevel) {
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
            case "adapt" -> a[0] == BundleStartLevel.class ? bundleLevel
                    : a[0] == FrameworkStartLevel.class && id == 0 ? framework : null;
            default -> null;
        });
    }

    private static ClassLoader getLoader() {
        return ReadinessStartLevelTest.class.getClassLoader();
    }
}
