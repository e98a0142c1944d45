package io.metalforge.power.service.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerField;
import io.metalforge.api.power.PowerField.FieldType;
import io.metalforge.api.power.PowerField.Scope;
import io.metalforge.api.power.PowerState;

/**
 * A driver over simulated BMCs for testing the service's scheduling rules (the real drivers are tested against
 * ipmi_sim and a Redfish server in their own bundles). Each BMC changes state only after {@code lag} queries, like
 * a real BMC that applies a power change asynchronously, and can be told to fail.
 */
final class SimulatedBmcDriver implements PowerDriver {

    static final class Bmc {
        volatile PowerState state = PowerState.OFF;
        volatile PowerState pending;
        volatile int queriesUntilApplied;
        volatile PowerFailure.Kind failWith;
        volatile boolean neverApplies;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxActive = new AtomicInteger();
    }

    private final Map<String, Bmc> bmcs = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    volatile int lag;
    volatile long callMillis;

    @Override
    public PowerDriverDescriptor descriptor() {
        return new PowerDriverDescriptor("sim", "Simulated BMC", false, false, true,
                List.of(new PowerField("power_address", "Address", true, FieldType.STRING, List.of(), "", Scope.BMC,
                        false),
                        new PowerField("power_pass", "Password", false, FieldType.PASSWORD, List.of(), "",
                                Scope.BMC, true)));
    }

    Bmc bmc(String address) {
        return bmcs.computeIfAbsent(address, a -> new Bmc());
    }

    @Override
    public void powerOn(Map<String, String> settings) throws PowerFailure {
        request(settings, PowerState.ON);
    }

    @Override
    public void powerOff(Map<String, String> settings) throws PowerFailure {
        request(settings, PowerState.OFF);
    }

    @Override
    public void powerReset(Map<String, String> settings) throws PowerFailure {
        enter(settings);
        leave(settings);
    }

    @Override
    public PowerState query(Map<String, String> settings) throws PowerFailure {
        Bmc bmc = enter(settings);
        try {
            if (bmc.pending != null && !bmc.neverApplies && --bmc.queriesUntilApplied <= 0) {
                bmc.state = bmc.pending;
                bmc.pending = null;
            }
            return bmc.state;
        } finally {
            leave(settings);
        }
    }

    @Override
    public void setPxeBootOnce(Map<String, String> settings) throws PowerFailure {
        enter(settings);
        leave(settings);
    }

    private void request(Map<String, String> settings, PowerState target) throws PowerFailure {
        Bmc bmc = enter(settings);
        try {
            // a repeated request while the change is under way does not restart it
            if (bmc.pending != target && bmc.state != target) {
                bmc.pending = target;
                bmc.queriesUntilApplied = lag;
            }
        } finally {
            leave(settings);
        }
    }

    private Bmc enter(Map<String, String> settings) throws PowerFailure {
        Bmc bmc = bmc(settings.get("power_address"));
        bmc.calls.incrementAndGet();
        bmc.maxActive.accumulateAndGet(bmc.active.incrementAndGet(), Math::max);
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        if (callMillis > 0) {
            try {
                Thread.sleep(callMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (bmc.failWith != null) {
            leave(settings);
            throw new PowerFailure(bmc.failWith, "simulated failure");
        }
        return bmc;
    }

    private void leave(Map<String, String> settings) {
        bmc(settings.get("power_address")).active.decrementAndGet();
        active.decrementAndGet();
    }
}
