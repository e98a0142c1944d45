package io.metalforge.api.os;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;

/**
 * A registry of OS handlers that tests add to and remove from, as the platform's whiteboard registry does when
 * bundles come and go. Tests fill it with the real handlers of the OS bundles. (The platform's own registry needs a
 * running framework; the OSGi-level integration tests run the real one.)
 */
public class TestOsHandlerRegistry implements OsHandlerRegistry {

    private final Map<String, OsHandler> handlers = new ConcurrentHashMap<>();

    public TestOsHandlerRegistry(OsHandler... installed) {
        for (OsHandler h : installed) {
            register(h);
        }
    }

    public void register(OsHandler h) {
        handlers.put(h.name(), h);
    }

    public void unregister(String name) {
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
