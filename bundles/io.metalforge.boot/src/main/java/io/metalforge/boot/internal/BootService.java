package io.metalforge.boot.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.boot.BootFile;
import io.metalforge.api.boot.BootFiles;
import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootMethod;
import io.metalforge.api.boot.BootParameters;
import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequest;
import io.metalforge.api.boot.BootRequestRecord;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.api.boot.BootTargets;
import io.metalforge.api.boot.BootTemplates;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.BlobStoreRegistry;

/**
 * Resolves every path the boot servers are asked for, in MAAS's order: {@code images/<sha256 prefix>/...} from the
 * blob store; a boot method's config (the {@link BootMethod} whiteboard; an unknown MAC is "not found" so the firmware
 * moves on); a bootloader file from the operator's folder; an empty answer for GRUB's {@code *.lst}; and, over TFTP
 * only, the path as an {@code images/} path (MAAS's TFTP falls back to its HTTP image store the same way).
 */
@Component(service = { BootFiles.class, BootService.class }, configurationPid = BootConfiguration.PID)
@Designate(ocd = BootConfiguration.class)
public class BootService implements BootFiles {

    /** Port of the boot HTTP server in URLs when no address is configured (MAAS's rack port). */
    static final int DEFAULT_HTTP_PORT = 5248;

    private final BootResourceCatalog catalog;
    private final BlobStoreRegistry stores;
    private final BootTemplates templates;
    private final ImageIndex images;
    private final EphemeralImages ephemerals;
    private final Bootloaders bootloaders;
    private final RequestLog log;
    private final String advertised;
    private final String commissioningOs;
    private final String commissioningRelease;
    private final Logger logger;
    private final List<BootMethod> methods = new CopyOnWriteArrayList<>();
    private volatile BootTargets targets;

    @Activate
    public BootService(@Reference BootResourceCatalog catalog, @Reference BlobStoreRegistry stores,
            @Reference BootTemplates templates, @Reference PlatformDirectories directories,
            @Reference(service = LoggerFactory.class) Logger logger, BootConfiguration config) {
        this(catalog, stores, templates,
                config.bootloader__folder().isBlank() ? directories.data().resolve("bootloaders")
                        : Path.of(config.bootloader__folder()),
                directories.data().resolve(SYNCED_BOOTLOADERS), config, logger);
        if (bootloaders.describe().isEmpty()) {
            // one clear line: without bootloaders only iPXE ROMs and UEFI HTTP clients with their own loader can boot
            logger.warn("No bootloaders found in {} nor synced: PXELINUX and GRUB machines cannot netboot until their"
                    + " files are copied there (see docs/BOOT.md)", bootloaders.operator().root());
        }
    }

    /** Where the image sync extracts the streams' bootloader archives (see docs/SIMPLESTREAMS.md). */
    static final String SYNCED_BOOTLOADERS = "simplestreams/bootloaders";

    BootService(BootResourceCatalog catalog, BlobStoreRegistry stores, BootTemplates templates, Path bootloaderFolder,
            Path syncedBootloaders, BootConfiguration config, Logger logger) {
        this.catalog = catalog;
        this.stores = stores;
        this.templates = templates;
        this.images = new ImageIndex(catalog, Clock.systemUTC());
        this.ephemerals = new EphemeralImages(catalog);
        this.bootloaders = new Bootloaders(bootloaderFolder, syncedBootloaders);
        this.log = new RequestLog(config.requests__per__mac(), config.logged__macs());
        this.advertised = config.advertised__address().trim();
        this.commissioningOs = config.commissioning__osystem();
        this.commissioningRelease = config.commissioning__distro__series();
        this.logger = logger;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTargets(BootTargets t) {
        targets = t;
    }

    void unsetTargets(BootTargets t) {
        if (targets == t) {
            targets = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMethod(BootMethod method) {
        methods.add(method);
    }

    void removeMethod(BootMethod method) {
        methods.remove(method);
    }

    /** The boot methods wired now, by name. */
    List<BootMethod> methods() {
        List<BootMethod> sorted = new ArrayList<>(methods);
        sorted.sort(Comparator.comparing(BootMethod::name));
        return sorted;
    }

    Bootloaders bootloaders() {
        return bootloaders;
    }

    boolean hasTargets() {
        return targets != null;
    }

    @Override
    public Optional<BootFile> resolve(String rawPath, BootProtocol protocol, String client, String localAddress) {
        Optional<String> clean = BootPaths.clean(rawPath);
        if (clean.isEmpty()) {
            return Optional.empty();
        }
        String path = clean.get();
        if (path.startsWith("images/")) {
            return image(path);
        }
        for (BootMethod method : methods()) {
            Optional<BootRequest> request;
            try {
                request = method.match(path, protocol);
            } catch (RuntimeException e) {
                logger.error("Boot method {} failed to match {}", method.name(), path, e);
                continue;
            }
            if (request.isPresent()) {
                return config(method, request.get(), protocol, client, localAddress);
            }
        }
        Optional<BootFile> bootloader = bootloaders.find(path);
        if (bootloader.isPresent()) {
            return bootloader;
        }
        if (path.endsWith(".lst")) {
            return Optional.of(new BytesFile(new byte[0])); // GRUB asks for command and fs lists; MAAS answers empty
        }
        if (protocol == BootProtocol.TFTP && !path.isEmpty()) {
            return image("images/" + path);
        }
        return Optional.empty();
    }

    private Optional<BootFile> image(String path) {
        // the segment after "images/": the sha256 prefix (only it counts, as in MAAS's nginx)
        int from = path.indexOf('/') + 1;
        int to = path.indexOf('/', from);
        String prefix = to < 0 ? path.substring(from) : path.substring(from, to);
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        Optional<ImageIndex.Entry> entry = images.find(prefix);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        String sha = entry.get().sha256();
        for (String name : stores.names()) {
            Optional<BlobStore> store = stores.find(name);
            try {
                // one stat per request: a store holds the blob exactly when it knows its size
                Optional<Long> size = store.isPresent() ? store.get().size(sha) : Optional.empty();
                if (size.isPresent()) {
                    return Optional.of(new StoredFile(store.get(), sha, size.get(), entry.get().modified()));
                }
            } catch (java.io.IOException e) {
                logger.warn("Blob store {} cannot say whether it holds {}: {}", name, sha, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private Optional<BootFile> config(BootMethod method, BootRequest request, BootProtocol protocol, String client,
            String localAddress) {
        String server = advertised.isEmpty() ? hostPort(localAddress) : advertised;
        BootTarget target = null;
        BootIntent intent = BootIntent.ENLIST;
        String arch = request.arch().isEmpty() ? "amd64" : request.arch();
        String subarch = request.subarch().isEmpty() ? "generic" : request.subarch();
        String os = commissioningOs;
        String release = commissioningRelease;
        if (request.kind() == BootRequest.Kind.MACHINE) {
            BootTargets t = targets;
            Optional<BootTarget> found = t == null ? Optional.empty() : t.forMac(request.mac());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            target = found.get();
            log.learn(client, target.mac());
            intent = target.intent();
            String[] archParts = target.architecture().split("/", 2);
            arch = archParts[0];
            subarch = archParts.length > 1 ? archParts[1] : "generic";
            os = target.ephemeralOs();
            release = target.ephemeralRelease();
        }
        BootParameters params;
        if (request.kind() == BootRequest.Kind.PRELOADER || intent == BootIntent.LOCAL
                || intent == BootIntent.POWEROFF) {
            params = new BootParameters(protocol, intent, target, server, "", "", "", arch, subarch);
        } else {
            Optional<EphemeralImages.Ephemeral> e = ephemerals.choose(os, release, arch, subarch);
            if (e.isEmpty()) {
                logger.warn("No complete ephemeral image {}/{} for {}/{}: {} cannot boot to {} ({} answered not found)",
                        os, release, arch, subarch, target == null ? "an unknown machine" : target.systemId(),
                        intent.purpose(), request);
                return Optional.empty();
            }
            String host = hostOnly(server);
            params = new BootParameters(protocol, intent, target, server, e.get().kernelPath(), e.get().initrdPath(),
                    KernelCommandLine.compose(server, host, e.get().rootPath(), e.get().tarRoot(), target), arch,
                    subarch);
        }
        try {
            String text = method.render(request, params, templates);
            return Optional.of(new BytesFile(text.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            logger.error("Boot method {} cannot render {} for {}: {}", method.name(), intent.purpose(),
                    target == null ? request.kind() : target.systemId(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String hostPort(String localAddress) {
        String host = localAddress == null || localAddress.isEmpty() ? "127.0.0.1" : localAddress;
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + DEFAULT_HTTP_PORT;
    }

    private static String hostOnly(String server) {
        return new BootParameters(BootProtocol.HTTP, BootIntent.LOCAL, null, server, "", "", "", "", "").serverHost();
    }

    @Override
    public void record(BootRequestRecord request) {
        log.add(request);
    }

    @Override
    public Map<String, List<BootRequestRecord>> recentRequests() {
        return log.snapshot();
    }
}
