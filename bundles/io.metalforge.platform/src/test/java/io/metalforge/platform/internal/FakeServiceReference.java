package io.metalforge.platform.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** A service reference carrying only properties: enough for registry bookkeeping outside a framework. */
final class FakeServiceReference<S> implements ServiceReference<S> {

    private static long nextId = 1;

    private final Hashtable<String, Object> properties = new Hashtable<>();

    FakeServiceReference(Map<String, Object> props) {
        properties.putAll(props);
        properties.putIfAbsent(Constants.SERVICE_ID, nextId++);
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return properties.keySet().toArray(String[]::new);
    }

    @Override
    public Bundle getBundle() {
        return null;
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public boolean isAssignableTo(Bundle bundle, String className) {
        return true;
    }

    @Override
    public int compareTo(Object reference) {
        return 0;
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        return new Hashtable<>(properties);
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return null;
    }
}
