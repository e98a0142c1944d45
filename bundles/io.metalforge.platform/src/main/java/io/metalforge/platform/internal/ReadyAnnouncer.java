package io.metalforge.platform.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.metalforge.api.platform.PlatformConsole;
import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.platform.PlatformReady;

/**
 * Prints {@code metalforge ready in <N> ms} once, when every bundle is active and every component of the
 * distribution is satisfied (immediate ones active), as Declarative Services' runtime reports them. N is the time
 * since the JVM started; {@link PlatformReady} is registered then. If that does not happen within a minute, it names what is missing: the bundles that are
 * not active, the components that are unsatisfied with their missing references, the failed activations.
 */
// PlatformReady is registered by hand once ready, so its capability is declared for the resolver.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.metalforge.api.platform.PlatformReady",
        uses = PlatformReady.class)
@Component(immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
// registered by hand once ready, so the resolver must be told this bundle provides it
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"io.metalforge.api.platform.PlatformReady\"")
public class ReadyAnnouncer {

    private static final System.Logger LOG = System.getLogger(ReadyAnnouncer.class.getName());
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(20);
    static final Duration SLOW_POLL = Duration.ofMillis(250);
    static final long FAST_MILLIS = 3000;
    static final String CONSOLE_LEVEL = "metalforge.console.startlevel";

    private final Problems problems;
    private final LongSupplier uptimeMillis;
    private final PlatformExecutor executor;
    private final PlatformConsole console;
    private final long patienceMillis;
    private volatile boolean announced;
    private volatile boolean complained;
    private volatile ScheduledFuture<?> poll;

    private final BundleContext context;
    private ServiceRegistration<PlatformReady> registration;

    @Activate
    public ReadyAnnouncer(BundleContext context, @Reference ServiceComponentRuntime scr,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor,
            @Reference PlatformConsole console,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ConfigurationAdmin configurations) {
        this(complete -> {
            Bundle[] bundles = context.getBundles();
            // Copying DS's whole runtime state is costly (every reference of every component, with the bundles
            // using each service), and polled every 20 ms it cost a fifth of the start's CPU. While a bundle is
            // still starting the platform cannot be ready, so the cheap bundle check answers alone then.
            List<String> starting = complete ? List.of() : Readiness.notActive(bundles);
            if (!starting.isEmpty()) {
                return starting;
            }
            return Readiness.problems(bundles, scr.getComponentDescriptionDTOs(), scr::getComponentConfigurationDTOs,
                    scr::isComponentEnabled, configured(configurations));
        }, () -> ManagementFactory.getRuntimeMXBean().getUptime(), executor, console, PATIENCE.toMillis(), context);
    }

    /** What keeps the platform from being ready: all of it when {@code complete}, else possibly only a part. */
    @FunctionalInterface
    interface Problems {
        List<String> find(boolean complete);
    }

    ReadyAnnouncer(Problems problems, LongSupplier uptimeMillis, PlatformExecutor executor,
            PlatformConsole console, long patienceMillis, BundleContext context) {
        this.problems = problems;
        this.uptimeMillis = uptimeMillis;
        this.executor = executor;
        this.console = console;
        this.patienceMillis = patienceMillis;
        this.context = context;
    }

    /** What Configuration Admin holds now; nothing when it is absent. */
    static List<Readiness.Configured> configured(ConfigurationAdmin cm) {
        if (cm == null) {
            return List.of();
        }
        try {
            Configuration[] all = cm.listConfigurations(null);
            List<Readiness.Configured> given = new ArrayList<>();
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Dictionary<String, Object> props = c.getProperties();
                if (props != null) {
                    Map<String, Object> map = new HashMap<>();
                    for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
                        String key = keys.nextElement();
                        map.put(key, props.get(key));
                    }
                    given.add(new Readiness.Configured(c.getPid(), c.getFactoryPid(), map));
                }
            }
            return given;
        } catch (IOException | InvalidSyntaxException e) {
            return List.of();
        }
    }

    @Activate
    void start() {
        long started = System.nanoTime();
        poll = executor.schedule("ready-check", () -> check(started), Duration.ZERO);
    }

    @Deactivate
    void deactivate() {
        stop();
        synchronized (this) {
            if (registration != null) {
                registration.unregister();
                registration = null;
            }
        }
    }

    synchronized void stop() {
        ScheduledFuture<?> p = poll;
        if (p != null) {
            p.cancel(false);
        }
    }

    /**
     * Raises the framework's start level to {@value #CONSOLE_LEVEL} when that property is set (the distribution
     * puts the shell there), so the shell's banner and first prompt come after the ready line.
     */
    private void openConsole() {
        String level = context.getProperty(CONSOLE_LEVEL);
        if (level == null || level.isBlank()) {
            return;
        }
        FrameworkStartLevel framework = context.getBundle(0).adapt(FrameworkStartLevel.class);
        int wanted = Integer.parseInt(level.strip());
        if (framework.getStartLevel() < wanted) {
            framework.setStartLevel(wanted);
        }
    }

    boolean announced() {
        return announced;
    }

    private void check(long started) {
        if (announced) {
            return;
        }
        long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
        boolean complain = !complained && waited >= patienceMillis;
        List<String> missing = problems.find(complain);
        if (missing.isEmpty()) {
            announced = true;
            long uptime = uptimeMillis.getAsLong();
            console.println("metalforge ready in " + uptime + " ms");
            LOG.log(System.Logger.Level.INFO, "metalforge ready in " + uptime + " ms");
            stop();
            if (context != null) {
                synchronized (this) {
                    PlatformReady ready = () -> uptime;
                    registration = context.registerService(PlatformReady.class, ready, null);
                }
                openConsole();
            }
            return;
        }
        // every check copies all of DS's component descriptions: often while a start is quick, seldom after
        Duration next = waited < FAST_MILLIS ? POLL : SLOW_POLL;
        synchronized (this) {
            ScheduledFuture<?> current = poll;
            if (current == null || !current.isCancelled()) {
                poll = executor.schedule("ready-check", () -> check(started), next);
            }
        }
        if (complain) {
            complained = true;
            String complaint = "metalforge not ready after " + patienceMillis / 1000 + " s; waiting for: "
                    + String.join("; ", missing);
            console.println(complaint);
            // INFO: the console has it already, and WARNING or ERROR would print it there twice
            LOG.log(System.Logger.Level.INFO, complaint);
        }
    }
}
