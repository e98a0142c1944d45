package io.metalforge.boot.internal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.metalforge.api.boot.BootRequestRecord;

/**
 * The last requests of each MAC, bounded in both directions. Most requests (kernel, initrd, bootloader modules) carry
 * no MAC; they are counted for the MAC whose per-machine config the same client IP last asked for, as MAAS attributes
 * HTTP requests to nodes by their address.
 */
final class RequestLog {

    private final int perMac;
    private final int macs;
    private final LinkedHashMap<String, ArrayDeque<BootRequestRecord>> byMac;
    private final LinkedHashMap<String, String> macByClient;

    RequestLog(int perMac, int macs) {
        this.perMac = Math.max(1, perMac);
        this.macs = Math.max(1, macs);
        this.byMac = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<BootRequestRecord>> eldest) {
                return size() > RequestLog.this.macs;
            }
        };
        this.macByClient = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > RequestLog.this.macs;
            }
        };
    }

    /** The client at this address is the machine with this MAC (it asked for its config). */
    synchronized void learn(String client, String mac) {
        macByClient.put(client, mac);
    }

    /** Adds a request, filling in the MAC learned for its client when the request has none. */
    synchronized BootRequestRecord add(BootRequestRecord r) {
        String mac = r.mac().isEmpty() ? macByClient.getOrDefault(r.client(), "") : r.mac();
        BootRequestRecord stored = mac.equals(r.mac()) ? r
                : new BootRequestRecord(r.time(), r.protocol(), r.client(), mac, r.path(), r.status(), r.bytes());
        ArrayDeque<BootRequestRecord> q = byMac.computeIfAbsent(mac, k -> new ArrayDeque<>());
        q.addLast(stored);
        while (q.size() > perMac) {
            q.removeFirst();
        }
        return stored;
    }

    synchronized Map<String, List<BootRequestRecord>> snapshot() {
        Map<String, List<BootRequestRecord>> copy = new LinkedHashMap<>();
        byMac.forEach((mac, q) -> copy.put(mac, List.copyOf(q)));
        return copy;
    }
}
