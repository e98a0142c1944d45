package io.metalforge.simplestreams.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.db.Database;
import io.metalforge.api.metrics.MetricsRecorder;

/**
 * For tests outside the sync bundle: the image sync's own test mirror (one Ubuntu noble amd64 product, index and
 * product list signed by real gpg) served on loopback, and the sync's importer over a platform's database and
 * catalog, counting into a metrics recorder as the service does in the platform.
 */
public final class SignedMirrorImport implements AutoCloseable {

    private final Gpg gpg;
    private final MirrorServer server;
    private final Importer importer;

    public SignedMirrorImport(Path dir, Database database, BootResourceCatalog catalog, MetricsRecorder metrics)
            throws Exception {
        gpg = new Gpg(dir.resolve("gpg"), "Metalforge metrics test <metrics@example.invalid>");
        Path mirror = dir.resolve("mirror");
        new MirrorFixture(mirror, gpg).ubuntu("24.04", "noble", "amd64", "20250101", 20_000, 60_000, 300_000)
                .publish();
        server = new MirrorServer(mirror);
        importer = new Importer(dir.resolve("sync"), new JdbcBootSourceRepository(database),
                new SyncedState(catalog, database), (String) null,
                new Downloader.Settings(2, 3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(10)),
                BootSourceApiTest.executor());
        importer.metrics = metrics;
        BootSource source = importer.repository.save(new BootSource(0, "test", server.url().toString(), 1, true, "",
                gpg.exportPublic(false), false, "", ""));
        importer.repository.save(new Selection(0, source.id(), "ubuntu", "noble", List.of("amd64"), null, null));
    }

    /** Runs an import and waits for it; returns the bytes its progress says it downloaded (or an error). */
    public long run() throws Exception {
        SyncEngine.Report report = importer.runAndWait();
        if (!report.ok()) {
            throw new IllegalStateException("the import failed: " + report.errors());
        }
        return ((Number) importer.progress().toMap().get("bytes_done")).longValue();
    }

    @Override
    public void close() {
        importer.close();
        server.close();
        gpg.close();
    }
}
