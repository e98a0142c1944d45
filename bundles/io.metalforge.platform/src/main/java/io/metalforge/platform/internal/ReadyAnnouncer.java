package io.metalforge.platform.internal;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Prints {@code metalforge ready in <N> ms} once, when the framework has started and every bundle is active
 * (fragments resolved). N is the time since the JVM started. If that does not happen within a minute, it names
 * the bundles that are not active, so a broken installation never fails silently.
 */
@Component(immediate = true)
public class ReadyAnnouncer implements BundleListener, FrameworkListener {

    static final long PATIENCE_SECONDS = 60;

    private final BundleContext context;
    private final LongSupplier uptimeMillis;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metalforge-ready-watchdog");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public ReadyAnnouncer(BundleContext context) {
        this(context, () -> ManagementFactory.getRuntimeMXBean().getUptime());
    }

    ReadyAnnouncer(BundleContext context, LongSupplier uptimeMillis) {
        this.context = context;
        this.uptimeMillis = uptimeMillis;
        context.addBundleListener(this);
        context.addFrameworkListener(this);
        watchdog.schedule(this::complainIfNotReady, PATIENCE_SECONDS, TimeUnit.SECONDS);
        check();
    }

    @Deactivate
    void stop() {
        context.removeBundleListener(this);
        context.removeFrameworkListener(this);
        watchdog.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED) {
            check();
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
            check();
        }
    }

    private void check() {
        if (!announced.get() && notActive(context.getBundles()).isEmpty() && announced.compareAndSet(false, true)) {
            System.out.println("metalforge ready in " + uptimeMillis.getAsLong() + " ms");
            watchdog.shutdown();
        }
    }

    private void complainIfNotReady() {
        if (!announced.get()) {
            List<String> waiting = notActive(context.getBundles());
            System.err.println("metalforge not ready after " + PATIENCE_SECONDS + " s; bundles not active: " + waiting);
        }
    }

    /** Bundles that keep the platform from being ready; the system bundle counts too. */
    static List<String> notActive(Bundle[] bundles) {
        return Arrays.stream(bundles).filter(b -> !isReady(b)).map(b -> b.getSymbolicName() + " " + state(b))
                .toList();
    }

    private static boolean isReady(Bundle b) {
        boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        return fragment ? b.getState() == Bundle.RESOLVED : b.getState() == Bundle.ACTIVE;
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }
}
