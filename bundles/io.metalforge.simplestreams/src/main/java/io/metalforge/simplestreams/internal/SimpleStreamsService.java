package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.db.Database;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.api.source.ImageImporter;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.store.BlobStoreRegistry;

/**
 * Boot sources, selections and the image import, with its schedule (every 60 minutes by default). State lives under
 * {@code <data>/simplestreams}. Reconfiguring restarts the component; a running import is stopped and resumes
 * from its partial files next time.
 */
@Component(service = {ImageImporter.class, SimpleStreamsService.class}, configurationPid = "io.metalforge.simplestreams")
@Designate(ocd = SyncConfiguration.class)
public class SimpleStreamsService implements ImageImporter {

    private static final Logger LOG = Logger.getLogger(SimpleStreamsService.class.getName());

    final Importer importer;
    final BootSources sources;
    private final ScheduledExecutorService schedule;

    @Activate
    public SimpleStreamsService(@Reference PlatformDirectories directories, @Reference BlobStoreRegistry stores,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            Database database,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            BootResourceCatalog catalog, SyncConfiguration config) throws IOException {
        Path data = directories.data().resolve("simplestreams");
        java.nio.file.Files.createDirectories(data);
        // The platform database when there is one (shared by regions); a JSON file otherwise.
        BootSourceRepository repository = database != null ? new JdbcBootSourceRepository(database)
                : new JsonBootSourceRepository(data.resolve("sources.json"));
        Downloader.Settings settings = new Downloader.Settings(Math.max(1, config.parallel__downloads()),
                Math.max(1, config.max__attempts()), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(Math.max(1, config.stall__timeout__seconds())));
        importer = new Importer(data, repository, new RegistryBlobStore(stores, config.store()), config.http__proxy(),
                settings);
        if (catalog != null) {
            CatalogPublisher publisher = new CatalogPublisher(catalog);
            importer.engine.publishTo(publisher);
            try {
                // a sync killed mid-download may have left a synced resource without any set: drop it now
                publisher.dropEmpty();
            } catch (IOException e) {
                LOG.warning(e.getMessage());
            }
        }
        sources = new BootSources(repository, this::catalogue);
        sources.ensureDefault(config.default__source__url(), config.default__keyring(), "ubuntu", "noble",
                List.of("amd64"));
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metalforge-import-schedule");
            t.setDaemon(true);
            return t;
        });
        if (config.auto__import()) {
            long every = Math.max(1, config.interval__minutes());
            schedule.scheduleWithFixedDelay(() -> {
                if (importer.start()) {
                    LOG.info("Scheduled image import started");
                }
            }, every, every, TimeUnit.MINUTES);
        }
    }

    /** The cached catalogue of a source, read now when the cache has none. */
    StreamCatalogue catalogue(BootSource source) throws IOException {
        StreamCatalogue c = importer.engine.cache.get(source.id());
        if (c != null && c.index().equals(IndexLocation.of(source.url()).index())) {
            return c;
        }
        c = importer.engine.readSource(source);
        return c;
    }

    @Deactivate
    void deactivate() {
        schedule.shutdownNow();
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
