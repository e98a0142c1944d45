package io.metalforge.platform.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.platform.ExtensionRegistry;

/**
 * The shared mechanics of a whiteboard registry: services arrive and leave through DS bind/unbind calls and are
 * indexed by their identifying name. When two services claim one name, the higher service ranking (then the older
 * service) wins, as the service registry itself would choose.
 */
abstract class ExtensionRegistrySupport<T> implements ExtensionRegistry<T> {

    private record Entry<T>(String name, T service, int ranking, long serviceId, String title, String bundle,
            String bundleVersion) {
    }

    private static final Comparator<Entry<?>> PREFERENCE = Comparator.<Entry<?>>comparingInt(e -> -e.ranking())
            .thenComparingLong(Entry::serviceId);

    private final ExtensionFamily family;
    private final String nameProperty;
    private final Function<T, String> nameOf;
    private final Function<T, String> titleOf;
    private final Map<String, List<Entry<T>>> byName = new ConcurrentHashMap<>();

    ExtensionRegistrySupport(ExtensionFamily family, String nameProperty, Function<T, String> nameOf,
            Function<T, String> titleOf) {
        this.family = family;
        this.nameProperty = nameProperty;
        this.nameOf = nameOf;
        this.titleOf = titleOf;
    }

    @Override
    public ExtensionFamily family() {
        return family;
    }

    void add(ServiceReference<?> ref, T service) {
        Entry<T> entry = entryFor(ref, service);
        byName.compute(entry.name(), (k, list) -> {
            List<Entry<T>> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(entry);
            l.sort(PREFERENCE);
            return l;
        });
    }

    void remove(ServiceReference<?> ref, T service) {
        long id = serviceId(ref);
        for (String name : List.copyOf(byName.keySet())) {
            byName.computeIfPresent(name, (k, list) -> {
                list.removeIf(e -> e.serviceId() == id || e.service() == service);
                return list.isEmpty() ? null : list;
            });
        }
    }

    @Override
    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    @Override
    public List<ExtensionInfo> describe() {
        List<ExtensionInfo> out = new ArrayList<>();
        for (String name : names()) {
            first(name).ifPresent(e -> out.add(new ExtensionInfo(family, e.name(), e.title(), e.bundle(),
                    e.bundleVersion())));
        }
        return out;
    }

    @Override
    public Optional<T> find(String name) {
        return name == null ? Optional.empty() : first(name).map(Entry::service);
    }

    private Optional<Entry<T>> first(String name) {
        List<Entry<T>> list = byName.get(name);
        if (list == null) {
            return Optional.empty();
        }
        return list.stream().findFirst();
    }

    private Entry<T> entryFor(ServiceReference<?> ref, T service) {
        Object prop = ref.getProperty(nameProperty);
        String name = prop instanceof String s && !s.isBlank() ? s : safe(() -> nameOf.apply(service));
        if (name == null || name.isBlank()) {
            name = "service-" + serviceId(ref);
        }
        Object rank = ref.getProperty(Constants.SERVICE_RANKING);
        Bundle bundle = ref.getBundle();
        return new Entry<>(name, service, rank instanceof Integer i ? i : 0, serviceId(ref),
                safe(() -> titleOf.apply(service)),
                bundle == null ? "" : bundle.getSymbolicName(),
                bundle == null ? "" : bundle.getVersion().toString());
    }

    private static long serviceId(ServiceReference<?> ref) {
        Object id = ref.getProperty(Constants.SERVICE_ID);
        return id instanceof Long l ? l : -1L;
    }

    /** Extension code is foreign code: a failing getter must not break the registry. */
    private static String safe(java.util.function.Supplier<String> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
