package io.metalforge.platform.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.platform.ExtensionRegistry;

/**
 * The shared mechanics of a whiteboard registry: services arrive and leave through DS bind/unbind calls and are
 * indexed by their identifying name. When two services claim one name, the higher service ranking (then the older
 * service) wins, as the service registry itself would choose.
 * <p>
 * The registry binds an extension's service objects, not the extension itself: an extension whose service carries
 * its name property is made (its component activated) only when something first asks the registry for it, or for
 * its title. So the platform's start does not construct every OS handler and power driver installed (a dozen
 * components and their classes on the start's critical path) before anyone needs one; Declarative Services releases
 * the object when the extension leaves or the registry ends.
 */
abstract class ExtensionRegistrySupport<T> implements ExtensionRegistry<T> {

    /**
     * One extension: what identifies it, read from its service; the extension itself ({@code made}) on first use.
     */
    private record Entry<T>(String name, int ranking, long serviceId, String bundle, String bundleVersion,
            ComponentServiceObjects<T> objects, AtomicReference<T> made) {

        /** The extension, made now if nobody asked for it before; null when it could not be made. */
        T service() {
            T s = made.get();
            if (s == null) {
                synchronized (made) {
                    s = made.get();
                    if (s == null) {
                        s = objects.getService();
                        made.set(s);
                    }
                }
            }
            return s;
        }
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

    /** An extension arrived (a DS bind method's service objects). */
    void add(ComponentServiceObjects<T> objects) {
        Entry<T> entry = entryFor(objects);
        byName.compute(entry.name(), (k, list) -> {
            List<Entry<T>> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(entry);
            l.sort(PREFERENCE);
            return l;
        });
    }

    /** The extension left (the matching unbind method). */
    void remove(ComponentServiceObjects<T> objects) {
        long id = serviceId(objects.getServiceReference());
        for (String name : List.copyOf(byName.keySet())) {
            byName.computeIfPresent(name, (k, list) -> {
                list.removeIf(e -> e.serviceId() == id || e.objects() == objects);
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
            first(name).ifPresent(e -> out.add(new ExtensionInfo(family, e.name(), title(e), e.bundle(),
                    e.bundleVersion())));
        }
        return out;
    }

    @Override
    public Optional<T> find(String name) {
        return name == null ? Optional.empty() : first(name).map(Entry::service);
    }

    /** The extension's own title; null when it has none or could not be made. */
    private String title(Entry<T> e) {
        T service = safe(e::service);
        return service == null ? null : safe(() -> titleOf.apply(service));
    }

    private Optional<Entry<T>> first(String name) {
        List<Entry<T>> list = byName.get(name);
        if (list == null) {
            return Optional.empty();
        }
        return list.stream().findFirst();
    }

    private Entry<T> entryFor(ComponentServiceObjects<T> objects) {
        ServiceReference<T> ref = objects.getServiceReference();
        Object prop = ref.getProperty(nameProperty);
        T made = null;
        String name;
        if (prop instanceof String s && !s.isBlank()) {
            name = s;
        } else {
            // no name property: only the extension itself can say its name, so it is made now
            made = safe(objects::getService);
            T service = made;
            name = service == null ? null : safe(() -> nameOf.apply(service));
        }
        if (name == null || name.isBlank()) {
            name = "service-" + serviceId(ref);
        }
        Object rank = ref.getProperty(Constants.SERVICE_RANKING);
        Bundle bundle = ref.getBundle();
        return new Entry<>(name, rank instanceof Integer i ? i : 0, serviceId(ref),
                bundle == null ? "" : bundle.getSymbolicName(), bundle == null ? "" : bundle.getVersion().toString(),
                objects, new AtomicReference<>(made));
    }

    private static long serviceId(ServiceReference<?> ref) {
        Object id = ref.getProperty(Constants.SERVICE_ID);
        return id instanceof Long l ? l : -1L;
    }

    /** Extension code is foreign code: a failing getter must not break the registry. */
    private static <V> V safe(java.util.function.Supplier<V> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
