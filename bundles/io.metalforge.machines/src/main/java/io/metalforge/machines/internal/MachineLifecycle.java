package io.metalforge.machines.internal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.api.boot.BootTargets;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.db.Database;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.DeploymentComposer;
import io.metalforge.api.deploy.DeploymentConfig;
import io.metalforge.api.http.ApiCredentials;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.NodeKeys;
import io.metalforge.api.machine.InstallerEvent;
import io.metalforge.api.machine.MachineEvent;
import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.MachineService;
import io.metalforge.api.machine.MachineStatistics;
import io.metalforge.api.machine.NodeDeployment;
import io.metalforge.api.machine.NodeStatus;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;

/**
 * Machines and their lifecycle as MAAS walks it: New → (mark_ready) Ready → (allocate) Allocated → (deploy)
 * Deploying → Deployed on the installed system's first user-data request, or Failed deployment on a failed
 * top-level installer stage; release → Releasing → Ready; abort → Allocated. Every transition is a compare-and-set
 * in the database, so concurrent requests never both win and a restart loses nothing (a machine Deploying before it
 * stays Deploying, its token still valid). Power operations run on the power service's pool, never on the caller.
 */
@Component(service = { MachineLifecycle.class, MachineService.class, BootTargets.class },
        configurationPid = MachinesConfiguration.PID)
@Designate(ocd = MachinesConfiguration.class)
public class MachineLifecycle implements MachineService, BootTargets {

    static final String DEPLOYED_EVENT = "Deployed";
    static final String FAILED_EVENT = "Failed deployment";
    static final String ABORTED_EVENT = "Aborted deployment";
    static final String INSTALLER_EVENT = "Installation";
    static final Set<NodeStatus> RELEASABLE = EnumSet.of(NodeStatus.ALLOCATED, NodeStatus.DEPLOYING,
            NodeStatus.DEPLOYED, NodeStatus.FAILED_DEPLOYMENT);
    /** States in which a machine has a deployment (a node token and documents). */
    static final Set<NodeStatus> DEPLOYMENT = EnumSet.of(NodeStatus.DEPLOYING, NodeStatus.DEPLOYED,
            NodeStatus.FAILED_DEPLOYMENT);

    private final MachineStore store;
    private final BootResourceCatalog catalog;
    private final DeploymentComposer composer;
    private final OsHandlerRegistry osHandlers;
    private final PowerService power;
    private final NodeKeys nodeKeys;
    private volatile MachinesConfiguration config;

    @Activate
    public MachineLifecycle(@Reference Database database, @Reference BootResourceCatalog catalog,
            @Reference DeploymentComposer composer, @Reference OsHandlerRegistry osHandlers,
            @Reference PowerService power, @Reference NodeKeys nodeKeys, MachinesConfiguration config)
            throws SQLException {
        this.store = new MachineStore(database);
        this.catalog = catalog;
        this.composer = composer;
        this.osHandlers = osHandlers;
        this.power = power;
        this.nodeKeys = nodeKeys;
        this.config = config;
    }

    @Modified
    void modified(MachinesConfiguration changed) {
        this.config = changed;
    }

    MachineStore store() {
        return store;
    }

    PowerService power() {
        return power;
    }

    /** Paths of the files the installer posted with its events (the newest kept), newest first. */
    public List<String> installerFiles(String systemId) throws ApiException {
        try {
            return store.files(systemId);
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    // ---- create, update, delete

    /** What a create or update may set; null fields are left as they are. */
    record Changes(String hostname, String domain, String architecture, List<String> macs, String hardware,
            String kernelOpts) {
    }

    MachineRow create(Changes c, ApiUser user) throws ApiException {
        try {
            if (c.macs() == null || c.macs().isEmpty()) {
                throw ApiException.validation(Map.of("mac_addresses", List.of("This field is required.")));
            }
            if (c.architecture() == null || c.architecture().isBlank()) {
                throw ApiException.validation(Map.of("architecture", List.of("This field is required.")));
            }
            String id = store.reserveSystemId();
            String hostname = c.hostname() == null || c.hostname().isBlank() ? "node-" + id : c.hostname();
            String architecture = architecture(c.architecture());
            checkMacsFree(c.macs(), null);
            String hardware = hardware(c.hardware(), hostname, architecture, c.macs());
            Instant now = Instant.now();
            MachineRow row = new MachineRow(id, hostname(hostname), domain(c.domain()), architecture, NodeStatus.NEW,
                    "", "", "", "", "", true, kernelOpts(c.kernelOpts()), hardware, "", "", "", "", "", "", "", "",
                    null, now, now, c.macs());
            try {
                store.insert(row);
            } catch (SQLException e) {
                if (MachineStore.isUniqueViolation(e)) {
                    throw clash(c.macs(), hostname);
                }
                throw e;
            }
            event(row, NodeStatus.NEW.label(), "INFO", "Machine created", user);
            return row;
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    MachineRow update(String systemId, Changes c) throws ApiException {
        try {
            MachineRow row = require(systemId);
            Map<String, Object> set = new LinkedHashMap<>();
            String hostname = c.hostname() != null ? hostname(c.hostname()) : row.hostname();
            String architecture = c.architecture() != null ? architecture(c.architecture()) : row.architecture();
            List<String> macs = c.macs() != null && !c.macs().isEmpty() ? c.macs() : row.macs();
            if (c.hostname() != null) {
                set.put("hostname", hostname);
            }
            if (c.domain() != null) {
                set.put("domain", domain(c.domain()));
            }
            if (c.architecture() != null) {
                set.put("architecture", architecture);
            }
            if (c.kernelOpts() != null) {
                set.put("kernel_opts", kernelOpts(c.kernelOpts()));
            }
            if (c.hardware() != null || c.architecture() != null || c.macs() != null) {
                set.put("hardware", hardware(c.hardware() != null ? c.hardware() : row.hardware(), hostname,
                        architecture, macs));
            }
            if (c.macs() != null && !c.macs().isEmpty()) {
                checkMacsFree(macs, systemId);
                store.replaceMacs(systemId, macs);
            }
            if (!set.isEmpty()) {
                try {
                    store.set(systemId, set);
                } catch (SQLException e) {
                    if (MachineStore.isUniqueViolation(e)) {
                        throw clash(List.of(), hostname);
                    }
                    throw e;
                }
            }
            return require(systemId);
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    boolean delete(String systemId, ApiUser user) throws ApiException {
        try {
            Optional<MachineRow> row = store.get(systemId);
            if (row.isEmpty()) {
                return false;
            }
            revokeToken(row.get());
            power.removeBmc(systemId);
            event(row.get(), "Deleted", "INFO", "Machine deleted", user);
            return store.delete(systemId);
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    // ---- lifecycle

    MachineRow markReady(String systemId, ApiUser user) throws ApiException {
        MachineRow row = require(systemId);
        move(row, EnumSet.of(NodeStatus.NEW, NodeStatus.FAILED_COMMISSIONING, NodeStatus.READY), NodeStatus.READY,
                Map.of("status_message", ""), "mark ready", user, "");
        return require(systemId);
    }

    /** MAAS's allocate: the first Ready machine (by host name) matching the filters becomes the caller's. */
    MachineRow allocate(String name, String systemId, String arch, ApiUser user) throws ApiException {
        try {
            for (MachineRow m : store.list()) {
                if (m.status() != NodeStatus.READY || !matches(m, name, systemId, arch)) {
                    continue;
                }
                if (store.transition(m.systemId(), Set.of(NodeStatus.READY), NodeStatus.ALLOCATED,
                        Map.of("owner", user.username(), "status_message", ""))) {
                    event(m, NodeStatus.ALLOCATED.label(), "INFO", "From 'Ready' to 'Allocated' (to "
                            + user.username() + ")", user);
                    return require(m.systemId());
                }
            }
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
        List<String> constraints = new ArrayList<>();
        if (name != null) {
            constraints.add("name=" + ImageChoice.printable(name));
        }
        if (systemId != null) {
            constraints.add("system_id=" + ImageChoice.printable(systemId));
        }
        if (arch != null) {
            constraints.add("arch=" + ImageChoice.printable(arch));
        }
        throw new ApiException(409, "No available machine matches constraints: " + (constraints.isEmpty() ? "(none)"
                : String.join(", ", constraints)));
    }

    private static boolean matches(MachineRow m, String name, String systemId, String arch) {
        if (name != null && !name.equals(m.hostname()) && !name.equals(m.hostname() + "." + m.domain())) {
            return false;
        }
        if (systemId != null && !systemId.equals(m.systemId())) {
            return false;
        }
        return arch == null || arch.equals(m.architecture()) || arch.equals(m.arch())
                || (arch.endsWith("/generic") && arch.substring(0, arch.indexOf('/')).equals(m.arch()));
    }

    /** What a deploy request asks for. */
    record DeployRequest(String osystem, String distroSeries, String userDataBase64, String hweKernel,
            String origin) {
    }

    /**
     * MAAS's deploy: allocates a Ready machine to the caller, checks the image (complete, for the machine's
     * architecture, an OS handler installed) and that the composer builds the curtin configuration, issues the
     * node token, moves to Deploying, then sets PXE boot once and powers on through the power service.
     */
    MachineRow deploy(String systemId, DeployRequest r, ApiUser user) throws ApiException {
        MachineRow row = require(systemId);
        checkOwner(row, user);
        if (row.status() != NodeStatus.READY && row.status() != NodeStatus.ALLOCATED) {
            throw new ApiException(409, "Node " + row.hostname() + " cannot be deployed: it is "
                    + row.status().label() + ".");
        }
        byte[] userData = decodeUserData(r.userDataBase64());
        if (power.bmc(systemId).isEmpty()) {
            throw new ApiException(503, "Failed to power on " + row.hostname()
                    + ": no power type is set for this machine.");
        }
        MachinesConfiguration c = config;
        ImageChoice.Series series = ImageChoice.series(r.osystem(), r.distroSeries(),
                c.commissioning__distro__series());
        OsHandler handler;
        try {
            handler = osHandlers.require(series.os());
        } catch (ExtensionNotInstalledException e) {
            throw new ApiException(503, e.getMessage());
        }
        DeployImage image = ImageChoice.choose(catalog, handler, series, row.arch(), row.subarch());
        String serverUrl = serverUrl(c, r.origin());
        ApiCredentials token = nodeKeys.issue("node " + systemId);
        boolean moved = false;
        try {
            DeploymentConfig composed;
            try {
                composed = compose(row, image, serverUrl, token.consumerKey(), token.tokenKey(), token.secret());
            } catch (IllegalArgumentException | ExtensionNotInstalledException e) {
                throw new ApiException(503, "Failed to retrieve curtin config: " + e.getMessage());
            }
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("owner", row.owner().isEmpty() ? user.username() : row.owner());
            set.put("osystem", series.os());
            set.put("distro_series", series.release());
            set.put("hwe_kernel", r.hweKernel() == null ? "" : r.hweKernel());
            set.put("netboot", true);
            set.put("status_message", "");
            set.put("user_data", Base64.getEncoder().encodeToString(userData));
            set.put("ephemeral_os", composed.ephemeralOs());
            set.put("ephemeral_release", composed.ephemeralRelease());
            set.put("image_filetype", image.filetype());
            set.put("server_url", serverUrl);
            set.put("token_consumer", token.consumerKey());
            set.put("token_key", token.tokenKey());
            set.put("token_secret", token.secret());
            set.put("deploy_started", Instant.now());
            moved = move(row, EnumSet.of(NodeStatus.READY, NodeStatus.ALLOCATED), NodeStatus.DEPLOYING, set,
                    "deploy", user, " (" + series.name() + ")");
        } finally {
            if (!moved) {
                nodeKeys.revoke(token.consumerKey());
            }
        }
        powerOn(systemId);
        return require(systemId);
    }

    private void powerOn(String systemId) {
        // PowerOperation.ON sets a one-time network boot first where the driver can, as MAAS does on deploy
        CompletableFuture<PowerState> on = power.submit(systemId, PowerOperation.ON);
        on.whenComplete((state, failure) -> {
            if (failure == null) {
                return;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            try {
                store.get(systemId).ifPresent(m -> {
                    try {
                        move(m, Set.of(NodeStatus.DEPLOYING), NodeStatus.FAILED_DEPLOYMENT,
                                Map.of("status_message", cut("Failed to power on: " + cause.getMessage(), 1000)),
                                "power on", null, ": " + cause.getMessage());
                    } catch (ApiException e) {
                        // already moved on (released, aborted): nothing to fail
                    }
                });
            } catch (SQLException e) {
                System.getLogger(MachineLifecycle.class.getName()).log(System.Logger.Level.ERROR,
                        "could not record the failed power on of " + systemId + ": " + e.getMessage());
            }
        });
    }

    DeploymentConfig compose(MachineRow row, DeployImage image, String serverUrl, String consumerKey,
            String tokenKey, String tokenSecret) {
        MachinesConfiguration c = config;
        String host = java.net.URI.create(serverUrl).getHost();
        DeploySettings settings = new DeploySettings(serverUrl, host == null ? "localhost" : host, consumerKey,
                tokenKey, tokenSecret, null, c.commissioning__osystem(), c.commissioning__distro__series(), false,
                false, false, null);
        return composer.compose(Hardware.machine(row), image, settings);
    }

    /** MAAS's release: power off, forget the deployment and the owner, back to Ready. */
    MachineRow release(String systemId, ApiUser user) throws ApiException {
        MachineRow row = require(systemId);
        checkOwner(row, user);
        move(row, RELEASABLE, NodeStatus.RELEASING, Map.of(), "release", user, "");
        revokeToken(row);
        CompletableFuture<PowerState> off = power.bmc(systemId).isPresent()
                ? power.submit(systemId, PowerOperation.OFF) : CompletableFuture.completedFuture(PowerState.UNKNOWN);
        off.handle((state, failure) -> {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("owner", "");
            set.put("osystem", "");
            set.put("distro_series", "");
            set.put("hwe_kernel", "");
            set.put("netboot", true);
            set.put("user_data", "");
            set.put("token_consumer", "");
            set.put("token_key", "");
            set.put("token_secret", "");
            set.put("status_message", failure == null ? "" : cut("Power off failed on release: "
                    + rootMessage(failure), 1000));
            try {
                move(row, Set.of(NodeStatus.RELEASING), NodeStatus.READY, set, "release", user, "");
            } catch (ApiException e) {
                // moved meanwhile (deleted): nothing to finish
            }
            return state;
        });
        return require(systemId);
    }

    /** MAAS's abort of a deployment: back to Allocated, powered off. */
    MachineRow abort(String systemId, ApiUser user) throws ApiException {
        MachineRow row = require(systemId);
        checkOwner(row, user);
        move(row, Set.of(NodeStatus.DEPLOYING), NodeStatus.ALLOCATED, Map.of("token_consumer", "", "token_key", "",
                "token_secret", "", "status_message", "Deployment aborted"), "abort", user, "");
        revokeToken(row);
        event(row, ABORTED_EVENT, "WARNING", "Deployment aborted by " + username(user), user);
        if (power.bmc(systemId).isPresent()) {
            power.submit(systemId, PowerOperation.OFF);
        }
        return require(systemId);
    }

    // ---- MachineService: what the metadata service and metrics use

    @Override
    public List<MachineInfo> machines() {
        try {
            return store.list().stream().map(MachineRow::info).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    List<MachineRow> rows() throws ApiException {
        try {
            return store.list();
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    @Override
    public Optional<MachineInfo> machine(String systemId) {
        return row(systemId).map(MachineRow::info);
    }

    Optional<MachineRow> row(String systemId) {
        try {
            return store.get(systemId);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<MachineInfo> machineForToken(String tokenKey) {
        try {
            return store.byToken(tokenKey).map(MachineRow::info);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<NodeDeployment> deployment(String systemId) {
        Optional<MachineRow> found = row(systemId);
        if (found.isEmpty() || !DEPLOYMENT.contains(found.get().status()) || found.get().tokenKey().isEmpty()) {
            return Optional.empty();
        }
        MachineRow m = found.get();
        ImageChoice.Series series = new ImageChoice.Series(m.osystem(), m.distroSeries());
        DeployImage image;
        try {
            image = ImageChoice.choose(catalog, osHandlers.require(m.osystem()), series, m.arch(), m.subarch());
        } catch (ApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        DeploymentConfig composed = compose(m, image, m.serverUrl(), m.tokenConsumer(), m.tokenKey(),
                m.tokenSecret());
        return Optional.of(new NodeDeployment(m.info(), m.serverUrl(), m.tokenConsumer(), m.tokenKey(),
                m.tokenSecret(), composed, Base64.getDecoder().decode(m.userData())));
    }

    @Override
    public boolean netbootOff(String systemId) {
        Optional<MachineRow> m = row(systemId);
        if (m.isEmpty()) {
            return false;
        }
        try {
            store.set(systemId, Map.of("netboot", false));
            event(m.get(), "Netboot off", "DEBUG", "The installer turned network boot off", null);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return true;
    }

    @Override
    public boolean installerEvent(String systemId, InstallerEvent e) {
        Optional<MachineRow> found = row(systemId);
        if (found.isEmpty()) {
            return false;
        }
        MachineRow m = found.get();
        MachinesConfiguration c = config;
        try {
            boolean failed = "FAIL".equals(e.result()) || "FAILURE".equals(e.result());
            String text = cut(e.origin() + " " + e.eventType() + " " + e.name() + ": " + e.description()
                    + (e.result().isEmpty() ? "" : " (" + e.result() + ")"), 10000);
            store.addEvent(systemId, m.hostname(), INSTALLER_EVENT, failed ? "ERROR" : e.eventType().equals("finish")
                    ? "INFO" : "DEBUG", text, "");
            for (InstallerEvent.InstallerFile f : e.files()) {
                byte[] content = f.content();
                if (content.length > c.max__posted__file__bytes()) {
                    content = java.util.Arrays.copyOf(content, c.max__posted__file__bytes());
                }
                store.addFile(systemId, f.path(), Base64.getEncoder().encodeToString(content),
                        Math.max(1, c.max__files__per__machine()));
            }
            if (e.topLevelFailure()) {
                String message = e.description().isEmpty() ? e.name() + " failed" : e.description();
                try {
                    move(m, Set.of(NodeStatus.DEPLOYING), NodeStatus.FAILED_DEPLOYMENT,
                            Map.of("status_message", cut(message, 1000)), "installer", null, ": " + message);
                } catch (ApiException notDeploying) {
                    // a failure reported outside a deployment is kept as an event only, as MAAS does
                }
            } else if (m.status() == NodeStatus.DEPLOYING && e.eventType().equals("start")) {
                store.set(systemId, Map.of("status_message", cut(e.description(), 1000)));
            }
        } catch (SQLException ex) {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
        return true;
    }

    @Override
    public boolean installedSystemStarted(String systemId) {
        Optional<MachineRow> found = row(systemId);
        if (found.isEmpty() || found.get().status() != NodeStatus.DEPLOYING) {
            return false;
        }
        MachineRow m = found.get();
        try {
            if (!move(m, Set.of(NodeStatus.DEPLOYING), NodeStatus.DEPLOYED, Map.of("status_message", ""),
                    "installed system", null, "")) {
                return false;
            }
        } catch (ApiException e) {
            return false;
        }
        Instant now = Instant.now();
        String name = m.osystem() + "/" + m.distroSeries();
        catalog.markDeployed(name, m.arch(), now);
        if (m.osystem().equals("custom")) {
            catalog.markDeployed(m.distroSeries(), m.arch(), now); // uploads named without the "custom/" prefix
        }
        event(m, "Image deployed", "INFO", "deployed " + name + "/" + m.arch(), null);
        return true;
    }

    @Override
    public List<MachineEvent> events(String systemId, String minLevel, long after, long before, int limit) {
        try {
            return store.events(systemId, minLevel, after, before, limit);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public MachineStatistics statistics() {
        try {
            Map<String, Long> counts = store.eventCounts(List.of(DEPLOYED_EVENT, FAILED_EVENT, ABORTED_EVENT));
            Map<String, Long> results = new LinkedHashMap<>();
            results.put("deployed", counts.get(DEPLOYED_EVENT));
            results.put("failed", counts.get(FAILED_EVENT));
            results.put("aborted", counts.get(ABORTED_EVENT));
            return new MachineStatistics(store.statusCounts(), results, store.countOs("custom"));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    // ---- BootTargets: what the boot servers read on every boot config request (one indexed query)

    @Override
    public Optional<BootTarget> forMac(String mac) {
        String normalised;
        try {
            normalised = Hardware.mac(mac);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return store.byMac(normalised).map(m -> target(m, normalised));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<BootTarget> forSystemId(String systemId) {
        return row(systemId).filter(m -> !m.macs().isEmpty()).map(m -> target(m, m.macs().get(0)));
    }

    private BootTarget target(MachineRow m, String mac) {
        BootIntent intent = switch (m.status()) {
            case DEPLOYING -> m.netboot() ? BootIntent.XINSTALL : BootIntent.LOCAL;
            case DEPLOYED -> BootIntent.LOCAL;
            default -> BootIntent.POWEROFF;
        };
        MachinesConfiguration c = config;
        String options = (c.kernel__options().strip() + " " + m.kernelOpts().strip()).strip();
        String os = m.ephemeralOs().isEmpty() ? c.commissioning__osystem() : m.ephemeralOs();
        String release = m.ephemeralRelease().isEmpty() ? c.commissioning__distro__series() : m.ephemeralRelease();
        return new BootTarget(m.systemId(), m.hostname(), mac, m.architecture(), intent, os, release, options);
    }

    // ---- helpers

    MachineRow require(String systemId) throws ApiException {
        try {
            return store.get(systemId).orElseThrow(() -> ApiException.notFound("No Machine matches the given query."));
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    /**
     * Moves a machine from one of {@code from} to {@code to} atomically and records the status event; 409 with
     * MAAS's wording when it is in another state (someone else moved it first).
     */
    private boolean move(MachineRow row, Set<NodeStatus> from, NodeStatus to, Map<String, Object> set, String action,
            ApiUser user, String detail) throws ApiException {
        try {
            if (!store.transition(row.systemId(), from, to, set)) {
                MachineRow now = store.get(row.systemId()).orElseThrow(
                        () -> ApiException.notFound("No Machine matches the given query."));
                throw new ApiException(409, "Cannot " + action + " node " + now.hostname() + " because it is "
                        + now.status().label() + ".");
            }
            String type = to == NodeStatus.DEPLOYED ? DEPLOYED_EVENT
                    : to == NodeStatus.FAILED_DEPLOYMENT ? FAILED_EVENT : to.label();
            event(row, type, to == NodeStatus.FAILED_DEPLOYMENT ? "ERROR" : "INFO", "From '" + row.status().label()
                    + "' to '" + to.label() + "'" + detail, user);
            return true;
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    private void event(MachineRow m, String type, String level, String description, ApiUser user) {
        try {
            store.addEvent(m.systemId(), m.hostname(), type, level, description, username(user));
        } catch (SQLException e) {
            throw new IllegalStateException("could not record an event of " + m.systemId() + ": " + e.getMessage(),
                    e);
        }
    }

    private static String username(ApiUser user) {
        return user == null ? "" : user.username();
    }

    private static void checkOwner(MachineRow row, ApiUser user) throws ApiException {
        if (!user.admin() && !row.owner().isEmpty() && !row.owner().equals(user.username())) {
            throw ApiException.forbidden("You do not have permission to modify machine " + row.hostname() + ".");
        }
    }

    private void revokeToken(MachineRow row) {
        if (!row.tokenConsumer().isEmpty()) {
            nodeKeys.revoke(row.tokenConsumer());
        }
    }

    private static byte[] decodeUserData(String base64) throws ApiException {
        if (base64 == null || base64.isEmpty()) {
            return new byte[0];
        }
        if (base64.length() > 700_000) {
            throw ApiException.validation(Map.of("user_data", List.of("user_data is larger than 512 KiB.")));
        }
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(Map.of("user_data", List.of("user_data must be base64 encoded.")));
        }
    }

    private static String serverUrl(MachinesConfiguration c, String origin) {
        String url = c.maas__url().isBlank() ? origin + "/MAAS/" : c.maas__url().strip();
        return url.endsWith("/") ? url : url + "/";
    }

    private void checkMacsFree(List<String> macs, String self) throws SQLException, ApiException {
        for (String mac : macs) {
            Optional<MachineRow> owner = store.byMac(mac);
            if (owner.isPresent() && !owner.get().systemId().equals(self)) {
                throw ApiException.validation(Map.of("mac_addresses", List.of(
                        "One or more MAC addresses is invalid. ('" + mac + "' is already in use.)")));
            }
        }
    }

    private static ApiException clash(List<String> macs, String hostname) {
        return ApiException.validation(Map.of("hostname", List.of("Node with this Hostname already exists."
                + (macs.isEmpty() ? "" : " (or one of its MAC addresses is in use)"))));
    }

    static String architecture(String text) throws ApiException {
        String a = text.strip().toLowerCase(Locale.ROOT);
        if (!a.matches("[a-z0-9_]{1,32}(/[a-z0-9._-]{1,30})?")) {
            throw ApiException.validation(Map.of("architecture", List.of("'" + ImageChoice.printable(text)
                    + "' is not a valid architecture.")));
        }
        return a.contains("/") ? a : a + "/generic";
    }

    private static String hostname(String text) throws ApiException {
        String h = text.strip();
        if (!h.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            throw ApiException.validation(Map.of("hostname", List.of("Invalid hostname: '"
                    + ImageChoice.printable(text) + "' (letters, digits and inner hyphens, at most 63).")));
        }
        return h;
    }

    private static String domain(String text) throws ApiException {
        if (text == null || text.isBlank()) {
            return "maas";
        }
        String d = text.strip().toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?")) {
            throw ApiException.validation(Map.of("domain", List.of("Invalid domain: '" + ImageChoice.printable(text)
                    + "'.")));
        }
        return d;
    }

    private static String kernelOpts(String text) throws ApiException {
        if (text == null) {
            return "";
        }
        if (text.length() > 4096 || !text.matches("[\\x20-\\x7e]*")) {
            throw ApiException.validation(Map.of("kernel_opts", List.of(
                    "kernel_opts are at most 4096 printable ASCII characters.")));
        }
        return text.strip();
    }

    private static String hardware(String json, String hostname, String architecture, List<String> macs)
            throws ApiException {
        try {
            return Hardware.validate(json == null ? "{}" : json, hostname, architecture, macs);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(Map.of("hardware", List.of(e.getMessage())));
        }
    }

    private static ApiException databaseFailure(SQLException e) {
        // the message of a database error may quote values: it goes to the log, not to the client
        System.getLogger(MachineLifecycle.class.getName()).log(System.Logger.Level.ERROR,
                "machines database operation failed (SQL state " + e.getSQLState() + ")");
        return new ApiException(503, "The machines database is unavailable; try again.");
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage());
    }

    static String cut(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
