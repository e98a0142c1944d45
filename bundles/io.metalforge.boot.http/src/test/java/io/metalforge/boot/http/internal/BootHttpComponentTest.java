package io.metalforge.boot.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/** Where the boot HTTP server forwards {@code /MAAS/} when the API was moved to another port. */
class BootHttpComponentTest {

    @Test
    void apiAddressFollowsTheApiPortUnlessConfigured() {
        BundleContext moved = context(Map.of("org.osgi.service.http.port", "15240"));
        BootHttpConfiguration defaults = config("127.0.0.1:5240");
        // java -Dorg.osgi.service.http.port=15240 -jar metalforge.jar: the metadata service is on 15240
        // (DS passes the defaults of the configuration type as component properties)
        assertEquals("127.0.0.1:15240", BootHttpComponent.apiAddress(defaults, moved,
                Map.of("api_address", "127.0.0.1:5240")));
        // an operator's api_address wins
        assertEquals("10.0.0.2:5240", BootHttpComponent.apiAddress(config("10.0.0.2:5240"), moved,
                Map.of("service.pid", BootHttpConfiguration.PID, "api_address", "10.0.0.2:5240")));
        // the API on its default port
        assertEquals("127.0.0.1:5240", BootHttpComponent.apiAddress(defaults, context(Map.of()), Map.of()));
    }

    private static BundleContext context(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(getClass(BundleContext.class), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> method.getName().equals("getProperty") ? properties.get((String) args[0])
                        : null);
    }

    private static BootHttpConfiguration config(String apiAddress) {
        return (BootHttpConfiguration) Proxy.newProxyInstance(getClass(BootHttpConfiguration.class),
                new Class<?>[] {BootHttpConfiguration.class}, (proxy, method, args) -> method.getName()
                        .equals("api__address") ? apiAddress : method.getDefaultValue());
    }

    private static ClassLoader getClass(Class<?> type) {
        return type.getClassLoader() == null ? BootHttpComponentTest.class.getClassLoader() : type.getClassLoader();
    }
}
