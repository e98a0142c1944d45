package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.catalog.internal.CatalogService;
import io.metalforge.store.fs.internal.FsBlobStore;

/**
 * kill -9 during a sync that publishes into the real catalog (H2 in files), then restart: no partial set is visible
 * (the catalog holds the resource without any set, dropped on restart), verified blobs are reused and the partial
 * file resumes with a Range request.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void aSyncKilledWithSigkillResumesWithoutExposingAPartialSet() throws Exception {
        try (Gpg gpg = new Gpg(dir.resolve("gnupg"), "Crash test <crash@example.invalid>")) {
            MirrorFixture f = new MirrorFixture(dir.resolve("mirror"), gpg)
                    .ubuntu("24.04", "noble", "amd64", "20250709", 50_000, 80_000, 4_000_000).publish();
            Path keyring = dir.resolve("keyring.gpg");
            Files.write(keyring, gpg.exportPublic(false));
            String squashfs = "noble/amd64/20250709/squashfs";
            Path data = dir.resolve("data");
            try (MirrorServer server = new MirrorServer(f.mirror)) {
                server.faults.put(squashfs, new MirrorServer.Slow(1_000_000));
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), SyncMain.class.getName(),
                        server.url().toString(), keyring.toString(), data.toString(), "4", "ubuntu/noble",
                        data.resolve("blobs").toString(), dir.resolve("catalog").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
                Path partial = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); // a loaded CI machine starts JVMs slowly
                while (System.nanoTime() < deadline) {
                    partial = partialFile(data);
                    if (partial != null && sizeNow(partial) > 500_000 && blobCount(data) == 2) {
                        break;
                    }
                    Thread.sleep(50);
                }
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                assertEquals(137, child.exitValue(), Files.readString(dir.resolve("child.log")));
                assertTrue(partial != null && Files.size(partial) > 500_000, "no partial download seen");
                assertEquals(2, blobCount(data), "kernel and initrd were stored before the kill");
                long partialBytes = Files.size(partial);

                // nothing of the interrupted set is visible in the catalog (the only record of synced sets): the
                // resource was registered for its progress view, but holds no set
                FsBlobStore store = FsBlobStore.create(data.resolve("blobs"), 0, 0);
                var db = JdbcBootSourceRepositoryTest.H2Database.inFiles(dir.resolve("catalog"));
                CatalogService catalog = new CatalogService(db, store);
                SyncedState state = new SyncedState(catalog, db);
                assertTrue(state.resources().get(0).sets().isEmpty());
                List<BootResource> synced = catalog.resources(Optional.of(ResourceType.SYNCED));
                assertEquals(List.of("ubuntu/noble"), synced.stream().map(BootResource::name).toList());
                assertTrue(catalog.sets(synced.get(0).id()).isEmpty());
                assertTrue(catalog.usableArchitectures().isEmpty());
                // restart cleanup, as the service does on activation
                state.dropEmpty();
                assertTrue(catalog.resources(Optional.of(ResourceType.SYNCED)).isEmpty());

                // restart: the same data folder, a fast server now
                server.faults.clear();
                server.requests.clear();
                try (Importer importer = new Importer(data, new JdbcBootSourceRepository(db), state, (String) null,
                        new Downloader.Settings(4, 3, Duration.ofMillis(20), Duration.ofMillis(100),
                                Duration.ofSeconds(5)), BootSourceApiTest.executor())) {
                    SyncEngine.Report r = importer.runAndWait();
                    assertTrue(r.ok(), r.errors().toString());
                    BootResource inCatalog = catalog.resource(ResourceType.SYNCED, "ubuntu/noble", "amd64/ga-24.04")
                            .orElseThrow();
                    assertEquals(1, catalog.sets(inCatalog.id()).size());
                    assertTrue(catalog.isComplete(catalog.sets(inCatalog.id()).get(0).id()));
                    SyncedState.Resource noble = importer.state.resources().get(0);
                    assertEquals("ubuntu/noble", noble.name());
                    assertEquals(3, noble.latest().orElseThrow().files().size());
                    for (SyncedState.File file : noble.latest().orElseThrow().files().values()) {
                        assertEquals(file.sha256(), MirrorFixture.sha256(data.resolve("blobs").resolve(file.sha256())));
                    }
                }
                assertEquals(List.of(squashfs), server.requests.stream().filter(p -> !p.startsWith("streams/"))
                        .toList(), "verified blobs are reused, only the partial file is fetched");
                long resumedAt = Long.parseLong(server.ranges.stream().filter(x -> x.startsWith(squashfs))
                        .findFirst().orElseThrow().replaceAll(".*bytes=(\\d+)-", "$1"));
                assertTrue(resumedAt >= partialBytes - (1 << 20) && resumedAt > 0, "resumed at " + resumedAt);
                assertFalse(Files.exists(partial));
            }
        }
    }

    /**
     * The biggest download in progress (the slowed squashfs once it has a few hundred KB); null when none. The
     * kernel's and the initrd's partial files are stored (moved away) within moments, so one listed may be gone.
     */
    private static Path partialFile(Path data) throws Exception {
        Path dir = data.resolve("partial");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Path biggest = null;
        long biggestSize = -1;
        try (var list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                long size = p.toString().endsWith(".part") ? sizeNow(p) : -1;
                if (size > biggestSize) {
                    biggest = p;
                    biggestSize = size;
                }
            }
        }
        return biggest;
    }

    /** The file's size, or -1 once it has been moved away. */
    private static long sizeNow(Path p) throws java.io.IOException {
        try {
            return Files.size(p);
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        }
    }

    private static long blobCount(Path data) throws Exception {
        Path dir = data.resolve("blobs");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var list = Files.list(dir)) {
            return list.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().matches("[0-9a-f]{64}"))
                    .count();
        }
    }
}
