package io.metalforge.metrics.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.metrics.MetricsRecorder;

/**
 * The counters behind {@code /MAAS/metrics}'s sync, upload and power families, in memory (a Prometheus counter
 * belongs to its process and restarts at 0 with it; each region is scraped on its own). Adders, so the sync's and
 * the uploads' threads never contend. Power label sets are bounded: a combination beyond {@link #MAX_POWER_SERIES}
 * is counted under {@code driver="other"}.
 */
@Component(service = { MetricsRecorder.class, CountingRecorder.class },
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class CountingRecorder implements MetricsRecorder {

    /** Most distinct (driver, operation, result) series kept. */
    static final int MAX_POWER_SERIES = 512;

    /** One power series. */
    record PowerKey(String driver, String operation, String result) implements Comparable<PowerKey> {
        @Override
        public int compareTo(PowerKey o) {
            int c = driver.compareTo(o.driver);
            c = c != 0 ? c : operation.compareTo(o.operation);
            return c != 0 ? c : result.compareTo(o.result);
        }
    }

    private final LongAdder synced = new LongAdder();
    private final LongAdder uploaded = new LongAdder();
    private final Map<PowerKey, LongAdder> power = new ConcurrentHashMap<>();

    @Override
    public void syncedBytes(long bytes) {
        if (bytes > 0) {
            synced.add(bytes);
        }
    }

    @Override
    public void uploadedBytes(long bytes) {
        if (bytes > 0) {
            uploaded.add(bytes);
        }
    }

    @Override
    public void powerOperation(String driver, String operation, String result) {
        PowerKey key = new PowerKey(String.valueOf(driver), String.valueOf(operation), String.valueOf(result));
        LongAdder a = power.get(key);
        if (a == null) {
            if (power.size() >= MAX_POWER_SERIES) {
                key = new PowerKey("other", key.operation(), key.result());
            }
            a = power.computeIfAbsent(key, k -> new LongAdder());
        }
        a.increment();
    }

    long syncedBytes() {
        return synced.sum();
    }

    long uploadedBytes() {
        return uploaded.sum();
    }

    /** The power series, sorted (a stable exposition). */
    Map<PowerKey, Long> powerOperations() {
        Map<PowerKey, Long> copy = new TreeMap<>();
        power.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
