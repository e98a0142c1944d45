package io.metalforge.boot.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.metalforge.api.boot.BootRequest;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.api.boot.BootTargets;

/**
 * A real, in-memory BootTargets. The machines bundle provides the platform's implementation; it is built in parallel,
 * so the boot tests register this one in its place (same contract: any-case MACs, ':' or '-').
 */
public final class InMemoryBootTargets implements BootTargets {

    private final Map<String, BootTarget> byMac = new ConcurrentHashMap<>();

    public void put(BootTarget target) {
        byMac.put(BootRequest.normaliseMac(target.mac()), target);
    }

    @Override
    public Optional<BootTarget> forMac(String mac) {
        return Optional.ofNullable(byMac.get(BootRequest.normaliseMac(mac)));
    }

    @Override
    public Optional<BootTarget> forSystemId(String systemId) {
        return byMac.values().stream().filter(t -> t.systemId().equals(systemId)).findFirst();
    }
}
