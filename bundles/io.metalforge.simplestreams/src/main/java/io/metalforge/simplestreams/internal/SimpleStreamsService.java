package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.db.Database;
import io.metalforge.api.metrics.MetricsRecorder;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.api.source.ImageImporter;
import io.metalforge.api.source.ImageStreamSourceRegistry;
import io.metalforge.api.source.StreamCatalogue;

/**
 * Boot sources, selections and the image import, with its schedule (every 60 minutes by default). Sources and
 * selections live in the platform database, synced sets in the catalog (whose blob store holds their bytes), partial
 * downloads and bootloaders under {@code <data>/simplestreams}. Reconfiguring restarts the component; a running
 * import is stopped and resumes from its partial files next time.
 */
@Component(service = {ImageImporter.class, SimpleStreamsService.class}, configurationPid = "io.metalforge.simplestreams")
@Designate(ocd = SyncConfiguration.class)
public class SimpleStreamsService implements ImageImporter {

    private static final Logger LOG = Logger.getLogger(SimpleStreamsService.class.getName());

    /**
     * How long after activation (at the platform's readiness, see {@link SyncAfterReady}) the enabled sources'
     * catalogues are read into the cache: after the start's own work, before an operator's first request.
     */
    static final Duration CATALOGUE_CACHE_DELAY = Duration.ofSeconds(1);

    final Importer importer;
    final BootSources sources;
    private final PlatformExecutor executor;
    /** Minutes between scheduled imports; 0 for none. */
    private final long every;

    @Activate
    public SimpleStreamsService(@Reference PlatformDirectories directories, @Reference Database database,
            @Reference BootResourceCatalog catalog, @Reference ImageStreamSourceRegistry streamSources,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor,
            SyncConfiguration config) throws IOException {
        this(directories, database, catalog, SourceResolver.of(streamSources), executor, config);
    }

    /** With the sources a resolver gives (tests: only the built-in SimpleStreams source, without OSGi). */
    SimpleStreamsService(PlatformDirectories directories, Database database, BootResourceCatalog catalog,
            SourceResolver streamSources, PlatformExecutor executor, SyncConfiguration config) throws IOException {
        this.executor = executor;
        this.every = config.auto__import() ? Math.max(1, config.interval__minutes()) : 0;
        Path data = directories.data().resolve("simplestreams");
        java.nio.file.Files.createDirectories(data);
        BootSourceRepository repository = new JdbcBootSourceRepository(database);
        SyncedState state = new SyncedState(catalog, database);
        // what earlier versions kept in JSON files moves into the database and the catalog, once
        LegacyFiles.migrateSources(data, repository);
        LegacyFiles.migrateSynced(data, state, catalog.blobStore());
        Downloader.Settings settings = new Downloader.Settings(Math.max(Downloader.Settings.AUTO,
                config.parallel__downloads()),
                Math.max(1, config.max__attempts()), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(Math.max(1, config.stall__timeout__seconds())));
        // every catalogue comes from the ImageStreamSource registered for its URL (the built-in SimpleStreams one,
        // or a vendor's), so the proxy is the source's setting
        importer = new Importer(data, repository, state, streamSources, settings, executor);
        try {
            // a sync killed mid-download may have left a synced resource without any set: drop it now
            state.dropEmpty();
        } catch (IOException e) {
            LOG.warning(e.getMessage());
        }
        sources = new BootSources(repository, this::catalogue);
        sources.ensureDefault(config.default__source__url(), config.default__keyring(), "ubuntu", "noble",
                List.of("amd64"));
    }

    /** The metrics' sync counter, when the metrics bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMetrics(MetricsRecorder recorder) {
        importer.metrics = recorder;
    }

    void unsetMetrics(MetricsRecorder recorder) {
        if (importer.metrics == recorder) {
            importer.metrics = null;
        }
    }

    @Activate
    void schedule() {
        executor.schedule("boot-source-cache", this::cacheCatalogues, CATALOGUE_CACHE_DELAY);
        if (every > 0) {
            executor.scheduleWithFixedDelay("import-schedule", () -> {
                if (importer.start()) {
                    LOG.info("Scheduled image import started");
                }
            }, Duration.ofMinutes(every), Duration.ofMinutes(every));
        }
    }

    /**
     * Reads the catalogue of every enabled source into the cache, as MAAS keeps a boot source cache: a selection is
     * checked against it without a fetch, and the first import finds the documents already verified and parsed
     * (it fetches them again, and checks them again only if a byte changed). A source that cannot be read now is
     * read by the next selection or import, which report why.
     */
    void cacheCatalogues() {
        List<BootSource> all;
        try {
            all = sources.repository().sources();
        } catch (IOException e) {
            LOG.info("The boot sources were not read at start: " + e.getMessage());
            return;
        }
        for (BootSource s : all) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the platform is stopping
            }
            if (!s.enabled()) {
                continue;
            }
            try {
                catalogue(s);
            } catch (IOException | RuntimeException e) {
                LOG.info("The catalogue of boot source " + s.id() + " (" + s.url() + ") was not read at start: "
                        + e.getMessage() + "; the next selection or import reads it again");
            }
        }
    }

    /** The cached catalogue of a source, read now when the cache has none. */
    StreamCatalogue catalogue(BootSource source) throws IOException {
        StreamCatalogue c = importer.engine.cache.get(source.id());
        if (c != null && importer.engine.cachedUrl(source.id()).equals(source.url())) {
            return c;
        }
        c = importer.engine.readSource(source);
        return c;
    }

    @Deactivate
    void deactivate() {
        importer.close();
    }

    @Override
    public boolean startImport() {
        return importer.start();
    }

    @Override
    public boolean stopImport() {
        return importer.stop();
    }

    @Override
    public boolean isImporting() {
        return importer.importing();
    }

    @Override
    public Map<String, Object> progress() {
        return importer.progress().toMap();
    }

    @Override
    public java.util.Optional<Map<String, Object>> syncingSet(String name, String architecture) {
        return importer.syncingSet(name, architecture);
    }
}
