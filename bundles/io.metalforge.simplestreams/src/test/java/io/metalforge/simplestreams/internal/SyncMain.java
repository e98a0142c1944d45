package io.metalforge.simplestreams.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs one import outside OSGi: {@code SyncMain URL KEYRING|- DATA_DIR PARALLEL OS/RELEASE[,OS/RELEASE...] [STORE_DIR
 * [CATALOG_DB]]}. Used by the crash test (killed with SIGKILL mid-sync) and by bench/sync.sh, with the platform's
 * filesystem blob store; with CATALOG_DB (an H2 file base) sets are published into the real boot resource catalog.
 */
public final class SyncMain {

    private SyncMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String keyring = args[1];
        Path data = Path.of(args[2]);
        int parallel = Integer.parseInt(args[3]);
        String[] selections = args[4].split(",");
        Path storeDir = args.length > 5 ? Path.of(args[5]) : data.resolve("blobs");
        Files.createDirectories(data);
        var db = JdbcBootSourceRepositoryTest.H2Database.inFiles(args.length > 6 ? Path.of(args[6])
                : data.resolve("catalog"));
        var store = io.metalforge.store.fs.internal.FsBlobStore.create(storeDir, 0, 0);
        var catalog = new io.metalforge.catalog.internal.CatalogService(db, store);
        JdbcBootSourceRepository repo = new JdbcBootSourceRepository(db);
        if (repo.sources().isEmpty()) {
            BootSource s = repo.save(new BootSource(0, "bench", url, 1, true, keyring.equals("-") ? "" : keyring,
                    null, keyring.equals("-"), "", ""));
            for (String sel : selections) {
                String[] osRelease = sel.split("/");
                repo.save(new Selection(0, s.id(), osRelease[0], osRelease[1], List.of("*"), null, null));
            }
        }
        Downloader.Settings settings = new Downloader.Settings(parallel, 5, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        try (Importer importer = new Importer(data, repo, new SyncedState(catalog, db), (String) null, settings,
                new io.metalforge.platform.internal.PlatformExecutorImpl("io.metalforge.simplestreams", 2,
                        Duration.ofSeconds(5)))) {
            long t0 = System.nanoTime();
            SyncEngine.Report r = importer.runAndWait();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long bytes = importer.progress().total();
            System.out.printf("published=%d errors=%s bytes=%d seconds=%.3f MBps=%.1f%n", r.published().size(),
                    r.errors(), bytes, seconds, bytes / seconds / 1e6);
            System.exit(r.ok() ? 0 : 1);
        }
    }
}
