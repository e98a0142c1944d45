package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** Imports from signed mirrors generated here, served by a loopback HTTP server, with faults injected. */
class SyncEngineTest {

    static Gpg signer;
    static Gpg stranger;
    static byte[] keyring;

    @TempDir
    Path dir;
    MirrorServer server;
    MirrorFixture fixture;
    Importer importer;
    io.metalforge.store.fs.internal.FsBlobStore store;
    SyncPlatform platform;

    @BeforeAll
    static void keys(@TempDir Path keys) throws Exception {
        signer = new Gpg(keys.resolve("signer"), "Metalforge sync test <sync@example.invalid>");
        stranger = new Gpg(keys.resolve("stranger"), "Stranger <stranger@example.invalid>");
        keyring = signer.exportPublic(false);
    }

    @AfterAll
    static void closeKeys() {
        signer.close();
        stranger.close();
    }

    @AfterEach
    void stop() {
        if (importer != null) {
            importer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void mirror(String serial) throws Exception {
        Path m = dir.resolve("mirror-" + serial);
        fixture = new MirrorFixture(m, signer).ubuntu("24.04", "noble", "amd64", serial, 20_000, 60_000, 300_000)
                .ubuntu("24.04", "noble", "arm64", serial, 10_000, 30_000, 100_000)
                .ubuntu("22.04", "jammy", "amd64", serial, 10_000, 30_000, 100_000)
                .centos(serial, 5_000).bootloader(serial).publish();
        if (server != null) {
            server.close();
        }
        server = new MirrorServer(m);
    }

    /** A fresh platform (database, store, catalog) in a folder of its own, and an importer over it. */
    private void importer(Downloader.Settings settings) throws Exception {
        importer(settings, null);
    }

    private void importer(Downloader.Settings settings, String proxy) throws Exception {
        Path home = Files.createTempDirectory(dir, "platform-");
        platform = new SyncPlatform(home);
        store = platform.store;
        importer = platform.importer(dir.resolve("data"), proxy, settings);
    }

    /** The sha256 of a stored blob, read back through the store. */
    private String storedSha256(String sha) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = store.open(sha, 0)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private static Downloader.Settings fast() {
        return new Downloader.Settings(4, 3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    private BootSource addSource(byte[] key) throws Exception {
        BootSource s = importer.repository.save(new BootSource(0, "test", server.url().toString(), 1, true, "", key,
                false, "", ""));
        importer.repository.save(new Selection(0, s.id(), "ubuntu", "noble", List.of("amd64"), null, null));
        return s;
    }

    private Map<String, SyncedState.Resource> resources() throws Exception {
        return importer.state.resources().stream().collect(Collectors.toMap(
                r -> r.name() + " " + r.architecture(), r -> r));
    }

    private long payloadRequests() {
        return server.requests.stream().filter(r -> !r.startsWith("streams/")).count();
    }

    @Test
    void aSignedStreamSyncsTheSelectionAndTheSupportedBootloaders() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.ok(), r.errors().toString());
        Map<String, SyncedState.Resource> res = resources();
        assertEquals(java.util.Set.of("ubuntu/noble amd64/ga-24.04", "grub-efi-signed/uefi amd64/generic"),
                res.keySet());
        SyncedState.Resource noble = res.get("ubuntu/noble amd64/ga-24.04");
        assertEquals("ubuntu/24.04", noble.alias());
        assertEquals("generic,ga-24.04", noble.extra().get("subarches"));
        SyncedState.Set_ set = noble.latest().orElseThrow();
        assertEquals("20250709", set.version());
        assertEquals("stable", set.label());
        assertEquals(java.util.Set.of("boot-kernel", "boot-initrd", "squashfs"), set.files().keySet());
        for (SyncedState.File f : set.files().values()) {
            assertTrue(store.contains(f.sha256()));
            assertEquals(f.sha256(), storedSha256(f.sha256()));
        }
        // manifests, unknown item types and unsupported bootloaders are never downloaded
        assertTrue(server.requests.stream().noneMatch(p -> p.endsWith("manifest") || p.endsWith("boot-dtb")
                || p.contains("pxe/")), server.requests.toString());
        // bootloader archive extracted
        Path boot = dir.resolve("data/bootloaders/uefi/amd64");
        assertEquals("content of grubx64.efi\n", Files.readString(boot.resolve("grubx64.efi")));
        assertEquals("content of grub/grub.cfg\n", Files.readString(boot.resolve("grub/grub.cfg")));
        assertEquals(100.0, importer.progress().percent());
        assertEquals(4, importer.progress().toMap().get("files") instanceof List<?> l ? l.size() : -1);

        // a second import downloads nothing
        long before = payloadRequests();
        assertTrue(importer.runAndWait().ok());
        assertEquals(before, payloadRequests());
    }

    @Test
    void everyImportEndsWithOneLineInTheLog() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Importer.class.getName());
        log.addHandler(capture);
        try {
            assertTrue(importer.runAndWait().ok());
            importer.repository.save(new BootSource(importer.repository.sources().get(0).id(), "test",
                    server.url() + "missing/", 1, true, "", keyring, false, "", ""));
            importer.runAndWait();
        } finally {
            log.removeHandler(capture);
        }
        List<String> ends = records.stream().filter(r -> r.getLevel() == java.util.logging.Level.INFO)
                .map(java.util.logging.LogRecord::getMessage).filter(m -> m.startsWith("Image import ")).toList();
        assertEquals(2, ends.size(), ends.toString());
        assertTrue(ends.get(0).matches("Image import complete in \\d+\\.\\d s: sets published 2, resources "
                + "removed 0, errors 0"), ends.get(0));
        assertTrue(ends.get(1).matches("Image import failed in \\d+\\.\\d s: sets published 0, resources "
                + "removed 0, errors 1"), ends.get(1));
    }

    @Test
    void eachSetsLargestFileIsFetchedFirst() throws Exception {
        mirror("20250709");
        // one download thread: the server sees the files in the order the sync queues them
        importer(new Downloader.Settings(1, 3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2)));
        BootSource s = addSource(keyring);
        importer.repository.save(new Selection(0, s.id(), "ubuntu", "jammy", List.of("amd64"), null, null));
        assertTrue(importer.runAndWait().ok());
        List<String> payloads = server.requests.stream().filter(r -> !r.startsWith("streams/")).toList();
        for (String release : List.of("noble", "jammy")) {
            List<String> files = payloads.stream().filter(r -> r.startsWith(release + "/amd64/"))
                    .map(r -> r.substring(r.lastIndexOf('/') + 1)).toList();
            assertEquals(List.of("squashfs", "boot-initrd", "boot-kernel"), files, payloads.toString());
        }
    }

    @Test
    void aNewVersionReplacesTheOldSetAndDeselectedImagesGo() throws Exception {
        mirror("20250709");
        importer(fast());
        BootSource s = addSource(keyring);
        assertTrue(importer.runAndWait().ok());
        SyncedState.Set_ old = resources().get("ubuntu/noble amd64/ga-24.04").latest().orElseThrow();

        // upstream publishes a newer version (same URL, new server)
        Path m2 = dir.resolve("mirror-20250801");
        fixture = new MirrorFixture(m2, signer).ubuntu("24.04", "noble", "amd64", "20250709", 20_000, 60_000, 300_000)
                .ubuntu("24.04", "noble", "amd64", "20250801", 20_001, 60_001, 300_001).bootloader("20250801").publish();
        int port = server.url().getPort();
        server.close();
        server = new MirrorServer(m2, port);
        assertTrue(importer.runAndWait().ok());
        SyncedState.Resource noble = resources().get("ubuntu/noble amd64/ga-24.04");
        assertEquals(List.of("20250801"), List.copyOf(noble.sets().keySet()));
        for (SyncedState.File f : old.files().values()) {
            assertFalse(store.contains(f.sha256()), "old blob kept: " + f.filename());
        }

        // deselect: the selection now asks for jammy, noble goes away with its blobs
        importer.repository.deleteSelection(s.id(), importer.repository.selections(s.id()).get(0).id());
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.ok(), r.errors().toString());
        assertFalse(resources().containsKey("ubuntu/noble amd64/ga-24.04"));
        noble.latest().orElseThrow().files().values().forEach(f -> assertFalse(store.contains(f.sha256())));
    }

    @Test
    void aMissingItemFailsItsSetWithoutRetryAndKeepsTheCatalogConsistent() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        String squashfs = "noble/amd64/20250709/squashfs";
        server.faults.put(squashfs, new MirrorServer.Status(404));
        SyncEngine.Report r = importer.runAndWait();
        assertFalse(r.ok());
        assertTrue(r.errors().toString().contains("404 Not Found"), r.errors().toString());
        assertEquals(1, server.requests.stream().filter(squashfs::equals).count(), "4xx must not be retried");
        assertFalse(resources().containsKey("ubuntu/noble amd64/ga-24.04"), "a set missing a file is not visible");
        assertTrue(resources().containsKey("grub-efi-signed/uefi amd64/generic"));
        server.faults.clear();
        assertTrue(importer.runAndWait().ok());
        assertTrue(resources().containsKey("ubuntu/noble amd64/ga-24.04"));
    }

    @Test
    void transientServerErrorsAreRetried() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        String kernel = "noble/amd64/20250709/ga-24.04/generic/boot-kernel";
        server.faults.put(kernel, new MirrorServer.Status(503));
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.errors().toString().contains("503"), r.errors().toString());
        assertEquals(3, server.requests.stream().filter(kernel::equals).count(), "5xx is retried up to the limit");
    }

    @Test
    void aWrongSha256IsRetriedThenRejected() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        String initrd = "noble/amd64/20250709/ga-24.04/generic/boot-initrd";
        server.faults.put(initrd, new MirrorServer.Corrupt());
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.errors().toString().contains("Invalid SHA256 checksum"), r.errors().toString());
        assertEquals(3, server.requests.stream().filter(initrd::equals).count());
        assertFalse(resources().containsKey("ubuntu/noble amd64/ga-24.04"));
        try (var parts = Files.list(dir.resolve("data/partial"))) {
            assertEquals(0, parts.count(), "a corrupt download leaves no partial file");
        }
    }

    @Test
    void aTruncatedFileFails() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        server.faults.put("noble/amd64/20250709/squashfs", new MirrorServer.Truncate(1000));
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.errors().toString().contains("Downloaded file size does not match expected size"),
                r.errors().toString());
        assertFalse(resources().containsKey("ubuntu/noble amd64/ga-24.04"));
    }

    @Test
    void aDroppedConnectionResumesWithARangeRequest() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        String squashfs = "noble/amd64/20250709/squashfs";
        server.faults.put(squashfs, new MirrorServer.DropAfter(123_456, new AtomicInteger(2)));
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.ok(), r.errors().toString());
        assertTrue(server.ranges.stream().anyMatch(x -> x.startsWith(squashfs + " bytes=")), server.ranges.toString());
        SyncedState.File f = resources().get("ubuntu/noble amd64/ga-24.04").latest().orElseThrow().files()
                .get("squashfs");
        assertEquals(f.sha256(), storedSha256(f.sha256()));
    }

    @Test
    void aSlowServerStillSyncsAndAStalledOneFailsAfterTheStallTimeout() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        server.faults.put("noble/amd64/20250709/ga-24.04/generic/boot-kernel", new MirrorServer.Slow(40_000));
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.ok(), r.errors().toString());

        importer.close(); // a fresh platform: nothing stored, nothing synced
        importer(new Downloader.Settings(4, 2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(500)));
        addSource(keyring);
        server.faults.put("noble/amd64/20250709/squashfs", new MirrorServer.Slow(50));
        r = importer.runAndWait();
        assertFalse(r.ok());
        assertTrue(r.errors().toString().contains("squashfs"), r.errors().toString());
        assertFalse(resources().containsKey("ubuntu/noble amd64/ga-24.04"));
    }

    @Test
    void aSetIsPublishedAsSoonAsItsFilesAreStoredWhileOthersStillDownload() throws Exception {
        mirror("20250709");
        importer(fast());
        BootSource s = addSource(keyring);
        importer.repository.save(new Selection(0, s.id(), "ubuntu", "jammy", List.of("amd64"), null, null));
        // jammy's squashfs (100 kB) takes about 2 s; noble's files come at once
        server.faults.put("jammy/amd64/20250709/squashfs", new MirrorServer.Slow(50_000));
        assertTrue(importer.start());
        boolean nobleBeforeJammy = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (importer.importing() && System.nanoTime() < deadline) {
            Map<String, SyncedState.Resource> now = resources();
            boolean noble = now.containsKey("ubuntu/noble amd64/ga-24.04")
                    && now.get("ubuntu/noble amd64/ga-24.04").latest().isPresent();
            boolean jammy = now.entrySet().stream().anyMatch(e -> e.getKey().startsWith("ubuntu/jammy ")
                    && e.getValue().latest().isPresent());
            if (noble && !jammy && importer.importing()) {
                nobleBeforeJammy = true;
            }
            Thread.sleep(20);
        }
        SyncEngine.Report r = importer.runAndWait(); // the import above has ended: this one finds nothing to do
        assertTrue(r.ok(), r.errors().toString());
        assertTrue(nobleBeforeJammy, "noble was not published while jammy's squashfs still downloaded");
        Map<String, SyncedState.Resource> res = resources();
        assertTrue(res.get("ubuntu/noble amd64/ga-24.04").latest().isPresent(), res.keySet().toString());
        assertTrue(res.entrySet().stream().anyMatch(e -> e.getKey().startsWith("ubuntu/jammy ")
                && e.getValue().latest().isPresent()), res.keySet().toString());
        assertEquals(1, server.requests.stream().filter("jammy/amd64/20250709/squashfs"::equals).count());
    }

    @Test
    void everyResourceOfAnImportIsRegisteredWithItsOriginBeforeItsFilesArrive() throws Exception {
        mirror("20250709");
        importer(fast());
        BootSource s = addSource(keyring);
        importer.repository.save(new Selection(0, s.id(), "ubuntu", "jammy", List.of("amd64"), null, null));
        // every file is slow: while the first ones download, all the import's resources are registered (in one
        // catalog transaction) with the source and selection they come from, and none has a set yet
        server.faults.put("noble/amd64/20250709/squashfs", new MirrorServer.Slow(50_000));
        server.faults.put("jammy/amd64/20250709/squashfs", new MirrorServer.Slow(50_000));
        assertTrue(importer.start());
        Map<String, SyncedState.Resource> seen = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        // (the resources and their origins are two commits: a read in between sees a resource without its origin)
        while (importer.importing() && System.nanoTime() < deadline
                && (seen.size() < 3 || seen.values().stream().anyMatch(x -> x.sourceId() == 0))) {
            seen = resources();
            Thread.sleep(10);
        }
        assertTrue(importer.importing(), "the slow squashfs files were still downloading");
        assertEquals(3, seen.size(), seen.keySet().toString()); // noble, jammy and the bootloader
        for (SyncedState.Resource r : seen.values()) {
            assertEquals(s.id(), r.sourceId(), r.toString());
            assertTrue(r.latest().isEmpty(), "no set while its files download: " + r);
        }
        assertEquals(s.id() + ":ubuntu/jammy/amd64", seen.values().stream()
                .filter(r -> r.name().equals("ubuntu/jammy")).findFirst().orElseThrow().selectionKey());
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.ok(), r.errors().toString());
        Map<String, SyncedState.Resource> after = resources();
        assertEquals(seen.keySet(), after.keySet());
        seen.forEach((k, v) -> assertEquals(v.id(), after.get(k).id(), "the registered resource got the set"));
        after.values().forEach(x -> assertTrue(x.latest().isPresent(), x.toString()));
    }

    @Test
    void aBadSignatureOrUnknownKeyChangesNothing() throws Exception {
        mirror("20250709");
        importer(fast());
        BootSource s = addSource(keyring);
        assertTrue(importer.runAndWait().ok());
        var before = importer.state.resources();

        importer.repository.save(new BootSource(s.id(), s.name(), s.url(), s.priority(), true, "",
                stranger.exportPublic(true), false, "", ""));
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.errors().toString().contains("not in the keyring"), r.errors().toString());
        assertEquals(before, importer.state.resources());

        importer.repository.save(s);
        Path index = fixture.mirror.resolve("streams/v1/index.sjson");
        Files.writeString(index, Files.readString(index).replace("image-ids", "image-idz"));
        r = importer.runAndWait();
        assertTrue(r.errors().toString().contains("BAD signature"), r.errors().toString());
        assertEquals(before, importer.state.resources());
    }

    @Test
    void malformedJsonAndAnIndexOutsideTheMirrorFailTheSourceOnly() throws Exception {
        mirror("20250709");
        importer(fast());
        BootSource s = importer.repository.save(new BootSource(0, "t", server.url() + "streams/v1/index.json", 1,
                true, "", null, true, "", ""));
        importer.repository.save(new Selection(0, s.id(), "ubuntu", "noble", List.of("amd64"), null, null));
        Path index = fixture.mirror.resolve("streams/v1/index.json");
        String good = Files.readString(index);
        Files.writeString(index, good.replace("\"streams/v1/" + MirrorFixture.UBUNTU_LIST,
                "\"../../../" + MirrorFixture.UBUNTU_LIST));
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.errors().toString().contains("points outside the mirror"), r.errors().toString());
        assertTrue(importer.state.resources().isEmpty());
        Files.writeString(index, good.substring(0, good.length() / 2));
        r = importer.runAndWait();
        assertTrue(r.errors().toString().contains("not a valid JSON file."), r.errors().toString());
        assertTrue(importer.state.resources().isEmpty());
    }

    @Test
    void stopImportInterruptsKeepsThePartialAndTheNextImportResumes() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        String squashfs = "noble/amd64/20250709/squashfs";
        server.faults.put(squashfs, new MirrorServer.Slow(100_000));
        assertTrue(importer.start());
        assertFalse(importer.start(), "one import at a time");
        Path partials = dir.resolve("data/partial");
        // only the squashfs (300 kB, served at 100 kB/s) grows a partial past 100 kB
        for (int i = 0; i < 500 && largestPartial(partials) < 100_000; i++) {
            Thread.sleep(20);
        }
        assertTrue(largestPartial(partials) >= 100_000, "the squashfs download did not start");
        assertTrue(importer.importing());
        assertTrue(importer.stop());
        for (int i = 0; i < 200 && importer.importing(); i++) {
            Thread.sleep(20);
        }
        assertFalse(importer.importing());
        assertFalse(resources().containsKey("ubuntu/noble amd64/ga-24.04"), "a stopped set is not visible");
        assertTrue(largestPartial(partials) >= 100_000, "the partial file is kept");
        server.faults.clear();
        assertTrue(importer.runAndWait().ok());
        assertTrue(server.ranges.stream().anyMatch(x -> x.startsWith(squashfs + " bytes=")), server.ranges.toString());
        assertTrue(resources().containsKey("ubuntu/noble amd64/ga-24.04"));
    }

    @Test
    void aChangedUpstreamFileOfTheSameVersionIsReplaced() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        assertTrue(importer.runAndWait().ok());
        SyncedState.Set_ before = resources().get("ubuntu/noble amd64/ga-24.04").latest().orElseThrow();
        // same version name, rebuilt files (other bytes, other sha256)
        Path m2 = dir.resolve("mirror-rebuilt");
        new MirrorFixture(m2, signer).ubuntu("24.04", "noble", "amd64", "20250709", 20_002, 60_002, 300_002)
                .publish();
        int port = server.url().getPort();
        server.close();
        server = new MirrorServer(m2, port);
        assertTrue(importer.runAndWait().ok());
        SyncedState.Set_ after = resources().get("ubuntu/noble amd64/ga-24.04").latest().orElseThrow();
        assertEquals("20250709", after.version());
        for (String name : List.of("boot-kernel", "boot-initrd", "squashfs")) {
            assertFalse(before.files().get(name).sha256().equals(after.files().get(name).sha256()));
            assertTrue(store.contains(after.files().get(name).sha256()));
            assertFalse(store.contains(before.files().get(name).sha256()), "replaced blob removed: " + name);
        }
    }

    @Test
    void theFreeSpaceIsCheckedBeforeAnyByteIsFetched() throws Exception {
        Downloader d = new Downloader(new HttpFetcher(null, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                dir.resolve("partial"), new DirectoryBlobStore(dir.resolve("store")), fast(), new ImportProgress(),
                BootSourceApiTest.executor());
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.metalforge.api.store.InsufficientSpaceException.class,
                () -> d.checkFreeSpace(List.of(new Downloader.Job("a".repeat(64), Long.MAX_VALUE / 2, "squashfs",
                        List.of(java.net.URI.create("http://127.0.0.1:9/x"))))));
        assertTrue(e.getMessage().startsWith("Not enough free space"), e.getMessage());
    }

    @Test
    void downloadsGoThroughTheConfiguredHttpProxy() throws Exception {
        mirror("20250709");
        // the loopback server plays the proxy: requests for a host that does not exist reach it in absolute form
        importer(fast(), "http://127.0.0.1:" + server.url().getPort());
        BootSource s = importer.repository.save(new BootSource(0, "via proxy", "http://images.example.invalid/", 1,
                true, "", keyring, false, "", ""));
        importer.repository.save(new Selection(0, s.id(), "ubuntu", "noble", List.of("amd64"), null, null));
        SyncEngine.Report r = importer.runAndWait();
        assertTrue(r.ok(), r.errors().toString());
        assertTrue(resources().containsKey("ubuntu/noble amd64/ga-24.04"));
        assertTrue(server.requests.contains("streams/v1/index.sjson"), server.requests.toString());
    }

    private static long largestPartial(Path partials) throws Exception {
        if (!Files.isDirectory(partials)) {
            return 0;
        }
        try (var list = Files.list(partials)) {
            return list.mapToLong(p -> p.toFile().length()).max().orElse(0);
        }
    }

    @Test
    void theHigherPriorityWinsPerOsReleaseArch() throws Exception {
        mirror("20250709");
        Path other = dir.resolve("mirror-other");
        new MirrorFixture(other, signer).ubuntu("24.04", "noble", "amd64", "20250101", 1_000, 2_000, 3_000).publish();
        importer(fast());
        BootSource low = addSource(keyring);
        BootSource high = importer.repository.save(new BootSource(0, "other", other.toUri().toString(), 10, true,
                "", keyring, false, "", ""));
        importer.repository.save(new Selection(0, high.id(), "ubuntu", "noble", List.of("*"), null, null));
        assertTrue(importer.runAndWait().ok());
        SyncedState.Resource noble = resources().get("ubuntu/noble amd64/ga-24.04");
        assertEquals(high.id(), noble.sourceId());
        assertEquals("20250101", noble.latest().orElseThrow().version());
        assertTrue(low.priority() < high.priority());
    }

    @Test
    void aSourceOfATypeNoInstalledSourceReadsFailsSayingSo() throws Exception {
        mirror("20250709");
        importer(fast());
        addSource(keyring);
        BootSource vendor = importer.repository.save(new BootSource(0, "vendor", "imagedir+http://127.0.0.1:9/images",
                5, true, "", keyring, false, "", ""));
        SyncEngine.Report r = importer.runAndWait();
        assertEquals("Failed to fetch image manifest for boot source with url imagedir+http://127.0.0.1:9/images: "
                + "source type 'imagedir' is not installed", r.errors().get("source " + vendor.id()));
        assertTrue(resources().containsKey("ubuntu/noble amd64/ga-24.04"), "the other source still syncs");
        assertEquals("failed", importer.progress().toMap().get("state"));
    }
}
