package io.metalforge.power.service.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One lane per BMC: operations on the same BMC run one after the other, in submission order, while different BMCs
 * run in parallel. A lane holds no thread while it waits; the next operation is started by the completion of the
 * previous one.
 */
final class BmcLanes {

    private static final class Lane {
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        int queued;
    }

    private final Map<String, Lane> lanes = new HashMap<>();
    private final int maxQueuedPerBmc;

    BmcLanes(int maxQueuedPerBmc) {
        this.maxQueuedPerBmc = maxQueuedPerBmc;
    }

    /**
     * Queues {@code operation} behind the operations already queued for {@code bmc}.
     *
     * @throws IllegalStateException when the BMC already has the maximum of queued operations
     */
    synchronized <T> CompletableFuture<T> enqueue(String bmc, Supplier<CompletableFuture<T>> operation) {
        Lane lane = lanes.computeIfAbsent(bmc, k -> new Lane());
        if (lane.queued >= maxQueuedPerBmc) {
            throw new IllegalStateException(
                    "too many power operations queued for this BMC (at most " + maxQueuedPerBmc + ")");
        }
        lane.queued++;
        CompletableFuture<T> result = lane.tail.thenCompose(ignored -> {
            try {
                return operation.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
        CompletableFuture<Void> tail = result.handle((r, e) -> null);
        lane.tail = tail;
        tail.thenRun(() -> release(bmc, lane));
        return result;
    }

    private synchronized void release(String bmc, Lane lane) {
        lane.queued--;
        if (lane.queued == 0) {
            lanes.remove(bmc, lane);
        }
    }

    /** BMCs with operations running or queued. */
    synchronized int busy() {
        return lanes.size();
    }
}
