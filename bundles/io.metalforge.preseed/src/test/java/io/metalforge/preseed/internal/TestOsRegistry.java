package io.metalforge.preseed.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.os.centos.internal.CentosOsHandler;
import io.metalforge.os.custom.internal.CustomOsHandler;
import io.metalforge.os.esxi.internal.EsxiOsHandler;
import io.metalforge.os.ol.internal.OracleLinuxOsHandler;
import io.metalforge.os.rhel.internal.RhelOsHandler;
import io.metalforge.os.suse.internal.SuseOsHandler;
import io.metalforge.os.ubuntu.internal.UbuntuOsHandler;
import io.metalforge.os.windows.internal.WindowsOsHandler;

/**
 * A registry of real OS handlers that tests add to and remove from, as the platform's whiteboard registry does when
 * bundles come and go. (The platform's own registry needs a running framework; the OSGi-level hot-deploy test runs
 * the real one.)
 */
final class TestOsRegistry implements OsHandlerRegistry {

    private final Map<String, OsHandler> handlers = new ConcurrentHashMap<>();

    /** Every OS bundle of the distribution. */
    static TestOsRegistry distribution() {
        TestOsRegistry r = new TestOsRegistry();
        for (OsHandler h : List.of(new UbuntuOsHandler(), new CustomOsHandler(), new CentosOsHandler(),
                new RhelOsHandler(), new OracleLinuxOsHandler(), new SuseOsHandler(), new WindowsOsHandler(),
                new EsxiOsHandler())) {
            r.register(h);
        }
        return r;
    }

    void register(OsHandler h) {
        handlers.put(h.name(), h);
    }

    void unregister(String name) {
        handlers.remove(name);
    }

    @Override
    public ExtensionFamily family() {
        return ExtensionFamily.OS_HANDLER;
    }

    @Override
    public List<String> names() {
        return handlers.keySet().stream().sorted().toList();
    }

    @Override
    public List<ExtensionInfo> describe() {
        return names().stream().map(n -> new ExtensionInfo(family(), n, handlers.get(n).title(), "test", "0")).toList();
    }

    @Override
    public Optional<OsHandler> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(handlers.get(name));
    }
}
