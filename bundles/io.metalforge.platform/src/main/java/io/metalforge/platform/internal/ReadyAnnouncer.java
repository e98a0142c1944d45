package io.metalforge.platform.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.metalforge.api.platform.PlatformConsole;
import io.metalforge.api.platform.PlatformExecutor;

/**
 * Prints {@code metalforge ready in <N> ms} once, when every bundle is active and every component of the
 * distribution is satisfied (immediate ones active), as Declarative Services' runtime reports them. N is the time
 * since the JVM started. If that does not happen within a minute, it names what is missing: the bundles that are
 * not active, the components that are unsatisfied with their missing references, the failed activations.
 */
@Component(immediate = true)
public class ReadyAnnouncer {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(20);

    private final Supplier<List<String>> problems;
    private final LongSupplier uptimeMillis;
    private final PlatformExecutor executor;
    private final PlatformConsole console;
    private final long patienceMillis;
    private volatile boolean announced;
    private volatile boolean complained;
    private volatile ScheduledFuture<?> poll;

    @Activate
    public ReadyAnnouncer(BundleContext context, @Reference ServiceComponentRuntime scr,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor,
            @Reference PlatformConsole console) {
        this(() -> Readiness.problems(context.getBundles(), scr.getComponentDescriptionDTOs(),
                scr::getComponentConfigurationDTOs, scr::isComponentEnabled),
                () -> ManagementFactory.getRuntimeMXBean().getUptime(), executor, console,
                PATIENCE.toMillis());
    }

    ReadyAnnouncer(Supplier<List<String>> problems, LongSupplier uptimeMillis, PlatformExecutor executor,
            PlatformConsole console, long patienceMillis) {
        this.problems = problems;
        this.uptimeMillis = uptimeMillis;
        this.executor = executor;
        this.console = console;
        this.patienceMillis = patienceMillis;
    }

    @Activate
    void start() {
        long started = System.nanoTime();
        poll = executor.scheduleWithFixedDelay("ready-check", () -> check(started), Duration.ZERO, POLL);
    }

    @Deactivate
    void stop() {
        ScheduledFuture<?> p = poll;
        if (p != null) {
            p.cancel(false);
        }
    }

    boolean announced() {
        return announced;
    }

    private void check(long started) {
        if (announced) {
            return;
        }
        List<String> missing = problems.get();
        if (missing.isEmpty()) {
            announced = true;
            console.println("metalforge ready in " + uptimeMillis.getAsLong() + " ms");
            stop();
        } else if (!complained && Duration.ofNanos(System.nanoTime() - started).toMillis() >= patienceMillis) {
            complained = true;
            console.println("metalforge not ready after " + patienceMillis / 1000 + " s; waiting for: "
                    + String.join("; ", missing));
        }
    }
}
