package io.metalforge.platform.internal;

import java.util.Map;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

/** Service objects of one extension outside a framework, counting how often the extension was asked for. */
final class FakeServiceObjects<S> implements ComponentServiceObjects<S> {

    private final S service;
    private final FakeServiceReference<S> reference;
    private int gets;

    FakeServiceObjects(Map<String, Object> properties, S service) {
        this.service = service;
        this.reference = new FakeServiceReference<>(properties);
    }

    @Override
    public synchronized S getService() {
        gets++;
        return service;
    }

    @Override
    public void ungetService(S s) {
        // nothing to release outside a framework
    }

    @Override
    public ServiceReference<S> getServiceReference() {
        return reference;
    }

    /** How often the extension was made or asked for through these objects. */
    synchronized int gets() {
        return gets;
    }
}
