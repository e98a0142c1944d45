package io.metalforge.power.service.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerState;

/**
 * One power operation on one BMC, with MAAS's retry rules (§7.1): an action is followed by a pause and a query
 * until the BMC reports the target state; retryable failures (connection, action) are tried again after the next
 * pause, fatal ones (authentication, settings, missing tool) end the run at once. Driver calls run on the pool;
 * pauses hold no thread.
 */
final class PowerRun {

    /** One driver call. */
    @FunctionalInterface
    interface DriverCall<T> {
        T call(PowerDriver driver) throws PowerFailure;
    }

    /** One driver call without a result. */
    @FunctionalInterface
    interface DriverAction {
        void run(PowerDriver driver) throws PowerFailure;
    }

    private final String label;
    private final Supplier<PowerDriver> driver;
    private final Map<String, String> settings;
    private final WaitSchedule waits;
    private final Executor pool;
    private final CompletableFuture<PowerState> outcome;

    /**
     * @param driver  looks the driver up for every call, so a driver removed mid-run fails the run
     * @param outcome completed by the caller on timeout; the run stops at its next step when it is done
     */
    PowerRun(String label, Supplier<PowerDriver> driver, Map<String, String> settings, WaitSchedule waits,
            Executor pool, CompletableFuture<PowerState> outcome) {
        this.label = label;
        this.driver = driver;
        this.settings = settings;
        this.waits = waits;
        this.pool = pool;
        this.outcome = outcome;
    }

    CompletableFuture<PowerState> start(PowerOperation operation) {
        return switch (operation) {
            case ON -> change(d -> d.powerOn(settings), PowerState.ON);
            case OFF -> change(d -> d.powerOff(settings), PowerState.OFF);
            case CYCLE -> query().thenCompose(state -> state == PowerState.ON
                    ? change(d -> d.powerOff(settings), PowerState.OFF)
                    : CompletableFuture.completedFuture(state))
                    .thenCompose(ignored -> change(d -> d.powerOn(settings), PowerState.ON));
            case QUERY -> query();
            case RESET -> retried(d -> {
                d.powerReset(settings);
                return PowerState.UNKNOWN;
            }, 0, null);
            case PXE_ONCE -> retried(d -> {
                d.setPxeBootOnce(settings);
                return PowerState.UNKNOWN;
            }, 0, null);
        };
    }

    /** Query with retries: retryable failures are tried again after each pause. */
    CompletableFuture<PowerState> query() {
        return retried(d -> d.query(settings), 0, null);
    }

    private <T> CompletableFuture<T> retried(DriverCall<T> call, int attempt, PowerFailure last) {
        if (attempt >= waits.attempts()) {
            return CompletableFuture.failedFuture(last);
        }
        return call(call).handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            PowerFailure retryable = retryable(error);
            return after(waits.after(attempt)).thenCompose(v -> retried(call, attempt + 1, retryable));
        }).thenCompose(f -> f);
    }

    /** Action, pause, query; again until the target state or the end of the schedule. */
    private CompletableFuture<PowerState> change(DriverAction action, PowerState target) {
        return changeAttempt(action, target, 0, null, PowerState.UNKNOWN);
    }

    private CompletableFuture<PowerState> changeAttempt(DriverAction action, PowerState target, int attempt,
            PowerFailure last, PowerState seen) {
        if (attempt >= waits.attempts()) {
            if (last != null) {
                return CompletableFuture.failedFuture(last);
            }
            return CompletableFuture.failedFuture(new PowerFailure(PowerFailure.Kind.NEVER_TRANSITIONED,
                    "Failed to power " + label + ". BMC never transitioned from " + name(seen) + " to "
                            + name(target) + "."));
        }
        Duration pause = waits.after(attempt);
        return call(d -> {
            action.run(d);
            return Boolean.TRUE;
        }).handle((ok, error) -> {
            if (error != null) {
                PowerFailure retryable = retryable(error);
                return after(pause).thenCompose(v -> changeAttempt(action, target, attempt + 1, retryable, seen));
            }
            if (!currentDriver().descriptor().queryable()) {
                return CompletableFuture.completedFuture(PowerState.UNKNOWN);
            }
            return after(pause).thenCompose(v -> call(d -> d.query(settings))).handle((state, queryError) -> {
                if (queryError != null) {
                    PowerFailure retryable = retryable(queryError);
                    return changeAttempt(action, target, attempt + 1, retryable, seen);
                }
                if (state == target) {
                    return CompletableFuture.completedFuture(state);
                }
                return changeAttempt(action, target, attempt + 1, null, state);
            }).thenCompose(f -> f);
        }).thenCompose(f -> f);
    }

    /** Runs one driver call on the pool, unless the outcome is already settled (timed out, service stopped). */
    private <T> CompletableFuture<T> call(DriverCall<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            if (outcome.isDone()) {
                // timed out or stopped: end the run without retrying
                throw new CompletionException(new CancellationException("power operation abandoned"));
            }
            try {
                return call.call(currentDriver());
            } catch (PowerFailure e) {
                throw new CompletionException(e);
            }
        }, pool);
    }

    private PowerDriver currentDriver() {
        return driver.get();
    }

    private CompletableFuture<Void> after(Duration pause) {
        return CompletableFuture.runAsync(() -> {
        }, CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS, pool));
    }

    /**
     * The failure if a later attempt may succeed; otherwise throws it (wrapped) so the run ends. Anything but a
     * {@link PowerFailure} (a driver gone, a driver bug) is not retried either.
     */
    private static PowerFailure retryable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof PowerFailure failure && failure.kind().retryable()) {
            return failure;
        }
        if (cause instanceof PowerFailure || cause instanceof ExtensionNotInstalledException) {
            throw new CompletionException(cause);
        }
        // A driver bug: report the type, not the message, which could quote a setting.
        throw new CompletionException(new PowerFailure(PowerFailure.Kind.ACTION,
                "the power driver failed unexpectedly (" + cause.getClass().getName() + ")", cause));
    }

    private static String name(PowerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
