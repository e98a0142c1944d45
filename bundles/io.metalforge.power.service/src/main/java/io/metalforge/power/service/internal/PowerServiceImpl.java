package io.metalforge.power.service.internal;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.db.Database;
import io.metalforge.api.metrics.MetricsRecorder;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.power.BmcSettings;
import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerField;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerSettings;
import io.metalforge.api.power.PowerState;

/**
 * The power service. BMC settings are stored in the platform's database (table power_bmc, secrets in their own
 * column) and cached in memory; they are loaded at activation and every change is written through before the cache
 * changes. Operations run on a bounded pool, one at a time per BMC; a BMC is identified by its driver and its
 * BMC-scope settings, so machines behind one chassis controller share a lane.
 */
@Component(service = PowerService.class, configurationPid = PowerServiceConfig.PID)
@Designate(ocd = PowerServiceConfig.class)
public class PowerServiceImpl implements PowerService {

    private static final System.Logger LOG = System.getLogger(PowerServiceImpl.class.getName());
    private static final Pattern MACHINE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * What is stored per machine; secret values stay here and leave only towards the driver. {@code bmcScope} is
     * null for settings loaded while their driver was not installed: it is taken from the driver when it is used.
     */
    private record Bmc(String driver, Map<String, String> settings, Set<String> secrets, Set<String> bmcScope) {
    }

    /** Tunables, also used by tests and benchmarks (of the driver bundles too) to run with short pauses. */
    public record Options(int threads, WaitSchedule waits, Duration operationTimeout, int maxPending,
            int maxQueuedPerBmc, int maxMachines, Duration queryTimeout) {

        /** MAAS waits at most this long for a power query. */
        public static final Duration MAAS_QUERY_TIMEOUT = Duration.ofSeconds(60);

        /** Queries bounded as in MAAS, or by {@code operationTimeout} when that is shorter. */
        public Options(int threads, WaitSchedule waits, Duration operationTimeout, int maxPending, int maxQueuedPerBmc,
                int maxMachines) {
            this(threads, waits, operationTimeout, maxPending, maxQueuedPerBmc, maxMachines,
                    operationTimeout.compareTo(MAAS_QUERY_TIMEOUT) < 0 ? operationTimeout : MAAS_QUERY_TIMEOUT);
        }

        /** @param waits comma-separated seconds between attempts, e.g. "1,2,2,4,6,8,12" */
        public static Options of(int threads, String waits, Duration operationTimeout) {
            return new Options(threads, WaitSchedule.parse(waits), operationTimeout, 100_000, 16, 100_000);
        }

        /** The longest an operation may take, queueing included. */
        Duration timeoutOf(PowerOperation operation) {
            return operation == PowerOperation.QUERY ? queryTimeout : operationTimeout;
        }
    }

    private final PowerDriverRegistry registry;
    private final Options options;
    private final ExecutorService pool;
    private final BmcLanes lanes;
    private final Map<String, Bmc> machines = new ConcurrentHashMap<>();
    /** Null when running without a database (tests and benchmarks that only need operations). */
    private final BmcStore store;
    /** Serialises writes so that the database and the cache agree on the last one. */
    private final Object writes = new Object();
    private final Set<CompletableFuture<PowerState>> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();
    /** Counts finished operations for /MAAS/metrics; null while the metrics bundle is absent. */
    private volatile MetricsRecorder metrics;

    /** The metrics' counters, when the metrics bundle is there (public for platforms wired without OSGi). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setMetrics(MetricsRecorder recorder) {
        metrics = recorder;
    }

    public void unsetMetrics(MetricsRecorder recorder) {
        if (metrics == recorder) {
            metrics = null;
        }
    }

    @Activate
    public PowerServiceImpl(@Reference PowerDriverRegistry registry, @Reference Database database,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor,
            PowerServiceConfig config) throws SQLException {
        this(registry, options(config), new BmcStore(database), executor.pool("power", config.threads()));
        load();
    }

    private static Options options(PowerServiceConfig config) {
        return new Options(config.threads(), WaitSchedule.parse(config.waits()),
                Duration.ofSeconds(config.operation__timeout()), config.max__pending(), config.max__queued__per__bmc(),
                config.max__machines(), Duration.ofSeconds(config.query__timeout()));
    }

    /** Settings in memory only, lost when the service stops. */
    public PowerServiceImpl(PowerDriverRegistry registry, Options options) {
        this(registry, options, null);
    }

    /** Settings stored in {@code database} and loaded from it now. */
    public PowerServiceImpl(PowerDriverRegistry registry, Database database, Options options) throws SQLException {
        this(registry, options, new BmcStore(database));
        load();
    }

    private PowerServiceImpl(PowerDriverRegistry registry, Options options, BmcStore store) {
        this(registry, options, store, ownPool(options.threads()));
    }

    /** In the platform the pool is the platform's ({@link PlatformExecutor}); tests and benchmarks outside it own one. */
    private PowerServiceImpl(PowerDriverRegistry registry, Options options, BmcStore store, ExecutorService pool) {
        this.registry = registry;
        this.options = options;
        this.store = store;
        this.pool = pool;
        this.lanes = new BmcLanes(options.maxQueuedPerBmc());
    }

    private static ExecutorService ownPool(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be 1 to 1024");
        }
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "metalforge-power-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @Deactivate
    public void stop() {
        pool.shutdownNow();
        for (CompletableFuture<PowerState> f : inFlight) {
            f.completeExceptionally(new PowerFailure(PowerFailure.Kind.ACTION, "the power service stopped"));
        }
    }

    @Override
    public void setBmc(String machineId, String driver, Map<String, String> settings) throws PowerFailure {
        checkMachineId(machineId);
        PowerDriver powerDriver = registry.require(driver);
        PowerDriverDescriptor descriptor = powerDriver.descriptor();
        Map<String, String> resolved = PowerSettings.resolve(descriptor, settings);
        resolved.remove(PowerDriver.SYSTEM_ID);
        // the driver's own rules (lengths, formats): a setting that can never work is not stored
        powerDriver.validate(Map.copyOf(resolved));
        Bmc bmc = describe(driver, descriptor, resolved);
        synchronized (writes) {
            if (!machines.containsKey(machineId) && machines.size() >= options.maxMachines()) {
                throw new PowerFailure(PowerFailure.Kind.SETTING,
                        "too many machines with BMC settings (at most " + options.maxMachines() + ")");
            }
            if (store != null) {
                Map<String, String> parameters = new TreeMap<>(resolved);
                parameters.keySet().removeAll(bmc.secrets());
                Map<String, String> secretValues = new TreeMap<>(resolved);
                secretValues.keySet().retainAll(bmc.secrets());
                try {
                    store.put(new BmcStore.Row(machineId, driver, parameters, secretValues));
                } catch (SQLException e) {
                    // the database's message may quote the values, secrets included: log only its code
                    LOG.log(Level.ERROR, "could not store the BMC settings of " + machineId + ": "
                            + e.getClass().getName() + ", SQL state " + e.getSQLState() + ", error "
                            + e.getErrorCode());
                    throw new PowerFailure(PowerFailure.Kind.ACTION,
                            "could not store the BMC settings of " + machineId + " in the database");
                }
            }
            machines.put(machineId, bmc);
        }
        LOG.log(Level.DEBUG, () -> "BMC of " + machineId + " set: driver " + driver + ", fields " + resolved.keySet());
    }

    @Override
    public Optional<BmcSettings> bmc(String machineId) {
        Bmc bmc = machines.get(machineId);
        if (bmc == null) {
            return Optional.empty();
        }
        Map<String, String> visible = new TreeMap<>(bmc.settings());
        visible.keySet().removeAll(bmc.secrets());
        return Optional.of(new BmcSettings(machineId, bmc.driver(), visible));
    }

    @Override
    public boolean removeBmc(String machineId) {
        synchronized (writes) {
            boolean stored = false;
            if (store != null) {
                try {
                    stored = store.delete(machineId);
                } catch (SQLException e) {
                    LOG.log(Level.ERROR, "could not remove the BMC settings of " + printable(machineId) + ": "
                            + e.getMessage());
                    throw new IllegalStateException("could not remove the BMC settings of " + printable(machineId)
                            + " from the database", e);
                }
            }
            return machines.remove(machineId) != null || stored;
        }
    }

    @Override
    public CompletableFuture<PowerState> submit(String machineId, PowerOperation operation) {
        Bmc bmc = machines.get(machineId);
        if (bmc == null) {
            return CompletableFuture.failedFuture(new PowerFailure(PowerFailure.Kind.SETTING,
                    "no BMC is set for machine '" + printable(machineId) + "'"));
        }
        if (bmc.bmcScope() == null) {
            // loaded before its driver was installed: learn the BMC-scope fields now, if the driver is here
            Bmc loaded = bmc;
            bmc = registry.find(bmc.driver()).map(d -> describe(loaded.driver(), d.descriptor(), loaded.settings()))
                    .orElse(bmc);
            machines.replace(machineId, loaded, bmc);
        }
        return start(machineId, bmc, operation);
    }

    @Override
    public CompletableFuture<PowerState> submit(String label, String driver, Map<String, String> settings,
            PowerOperation operation) {
        try {
            PowerDriverDescriptor descriptor = registry.require(driver).descriptor();
            Map<String, String> resolved = PowerSettings.resolve(descriptor, settings);
            resolved.remove(PowerDriver.SYSTEM_ID);
            return start(label, describe(driver, descriptor, resolved), operation);
        } catch (PowerFailure | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The settings with the driver's secret and BMC-scope field names. */
    private static Bmc describe(String driver, PowerDriverDescriptor descriptor, Map<String, String> settings) {
        Set<String> secrets = descriptor.fields().stream().filter(PowerField::secret).map(PowerField::name)
                .collect(Collectors.toUnmodifiableSet());
        Set<String> bmcScope = descriptor.fields().stream().filter(f -> f.scope() == PowerField.Scope.BMC)
                .map(PowerField::name).collect(Collectors.toUnmodifiableSet());
        return new Bmc(driver, Map.copyOf(settings), secrets, bmcScope);
    }

    /** Fills the cache from the database; secrets are known from their column even without the driver. */
    private void load() throws SQLException {
        store.forEach(row -> {
            Map<String, String> settings = new HashMap<>(row.parameters());
            settings.putAll(row.secrets());
            Set<String> secrets = Set.copyOf(row.secrets().keySet());
            Bmc bmc = registry.find(row.driver())
                    .map(d -> describe(row.driver(), d.descriptor(), settings))
                    .map(b -> new Bmc(b.driver(), b.settings(), union(b.secrets(), secrets), b.bmcScope()))
                    .orElseGet(() -> new Bmc(row.driver(), Map.copyOf(settings), secrets, null));
            machines.put(row.machineId(), bmc);
        });
        LOG.log(Level.INFO, "loaded the BMC settings of " + machines.size() + " machines from the database");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Operations queued or running now. */
    int pending() {
        return pending.get();
    }

    private CompletableFuture<PowerState> start(String label, Bmc bmc, PowerOperation operation) {
        if (registry.find(bmc.driver()).isEmpty()) {
            return CompletableFuture.failedFuture(
                    new ExtensionNotInstalledException(registry.family(), bmc.driver()));
        }
        if (pending.incrementAndGet() > options.maxPending()) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(new PowerFailure(PowerFailure.Kind.ACTION,
                    "too many power operations pending (at most " + options.maxPending() + ")"));
        }
        CompletableFuture<PowerState> outcome = new CompletableFuture<>();
        inFlight.add(outcome);
        outcome.whenComplete((state, error) -> {
            inFlight.remove(outcome);
            pending.decrementAndGet();
            MetricsRecorder.orNone(metrics).powerOperation(bmc.driver(), operation.label(), resultOf(error));
            if (error != null) {
                LOG.log(Level.DEBUG, () -> operation.label() + " " + label + " failed: " + error.getMessage());
            }
        });
        Duration timeout = options.timeoutOf(operation);
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> outcome.completeExceptionally(new PowerFailure(PowerFailure.Kind.ACTION,
                        operation.label() + " of " + label + " did not finish within "
                                + timeout.toSeconds() + " s")));
        try {
            lanes.enqueue(laneOf(label, bmc), () -> {
                if (outcome.isDone()) {
                    return CompletableFuture.completedFuture(null);
                }
                Map<String, String> settings = new java.util.HashMap<>(bmc.settings());
                settings.put(PowerDriver.SYSTEM_ID, label);
                PowerRun run = new PowerRun(label, () -> registry.require(bmc.driver()), Map.copyOf(settings),
                        options.waits(), pool, outcome);
                return run.start(operation).whenComplete((state, error) -> {
                    if (error != null) {
                        outcome.completeExceptionally(unwrap(error));
                    } else {
                        outcome.complete(state);
                    }
                });
            });
        } catch (IllegalStateException e) {
            outcome.completeExceptionally(new PowerFailure(PowerFailure.Kind.ACTION, e.getMessage()));
        }
        return outcome;
    }

    /** Driver plus BMC-scope, non-secret settings: the identity of the controller. */
    /**
     * The BMC's lane: its driver and identifying settings. A BMC with no identifying setting at all (the manual
     * driver) names no shared controller, so each machine gets its own lane instead of all queueing behind one.
     */
    private static String laneOf(String label, Bmc bmc) {
        String key = laneOf(bmc);
        return key.equals(bmc.driver()) ? key + "\u0000machine=" + label : key;
    }

    private static String laneOf(Bmc bmc) {
        StringBuilder key = new StringBuilder(bmc.driver());
        new TreeMap<>(bmc.settings()).forEach((k, v) -> {
            // without the driver's schema every non-secret setting counts: never merges two controllers' lanes
            if ((bmc.bmcScope() == null || bmc.bmcScope().contains(k)) && !bmc.secrets().contains(k)) {
                key.append('\u0000').append(k).append('=').append(v);
            }
        });
        return key.toString();
    }

    /** The result label of a finished operation: success, or what kind of failure ended it. */
    static String resultOf(Throwable error) {
        Throwable e = error == null ? null : unwrap(error);
        if (e == null) {
            return "success";
        }
        if (e instanceof PowerFailure f) {
            return f.kind().name().toLowerCase(java.util.Locale.ROOT); // a timeout is an action failure, as in MAAS
        }
        return e instanceof ExtensionNotInstalledException ? "driver_missing" : "error";
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static void checkMachineId(String machineId) throws PowerFailure {
        if (machineId == null || !MACHINE_ID.matcher(machineId).matches()) {
            throw new PowerFailure(PowerFailure.Kind.SETTING,
                    "a machine id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
