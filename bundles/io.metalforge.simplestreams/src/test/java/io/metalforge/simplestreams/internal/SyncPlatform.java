package io.metalforge.simplestreams.internal;

import java.nio.file.Path;
import java.util.UUID;

import io.metalforge.api.db.Database;
import io.metalforge.catalog.internal.CatalogService;
import io.metalforge.store.fs.internal.FsBlobStore;

/**
 * What an import runs on in the platform, for real: the database (embedded H2, or any {@link Database}), the
 * filesystem blob store, the catalog over both, the boot source repository and the synced state in the catalog.
 */
final class SyncPlatform {

    final Database database;
    final FsBlobStore store;
    final CatalogService catalog;
    final JdbcBootSourceRepository repository;
    final SyncedState state;

    SyncPlatform(Path dir) throws Exception {
        this(dir, new JdbcBootSourceRepositoryTest.H2Database("sync-" + UUID.randomUUID()));
    }

    SyncPlatform(Path dir, Database database) throws Exception {
        this.database = database;
        this.store = FsBlobStore.create(dir.resolve("store"), 0, 0);
        this.catalog = new CatalogService(database, store);
        this.repository = new JdbcBootSourceRepository(database);
        this.state = new SyncedState(catalog, database);
    }

    /** The built-in SimpleStreams source alone, without a proxy. */
    static SourceResolver builtInSources() {
        return SourceResolver.of(java.util.List.of(new SimpleStreamsSource(new HttpFetcher(null,
                java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(10)))));
    }

    Importer importer(Path data, String proxy, Downloader.Settings settings) throws Exception {
        return new Importer(data, repository, state, proxy, settings, BootSourceApiTest.executor());
    }
}
