package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.TestApiRequest;

/**
 * After activation the service reads its enabled sources' catalogues into the cache, as MAAS keeps a boot source
 * cache: selections are then checked without a fetch, and a source that cannot be read changes nothing.
 */
class CatalogueCacheAtStartTest {

    @TempDir
    static Path dir;
    static Gpg gpg;
    static MirrorServer server;
    static Path keyringFile;

    @BeforeAll
    static void mirror() throws Exception {
        gpg = new Gpg(dir.resolve("gnupg"), "Cache test <cache@example.invalid>");
        MirrorFixture f = new MirrorFixture(dir.resolve("mirror"), gpg)
                .ubuntu("24.04", "noble", "amd64", "20250709", 1000, 2000, 3000)
                .ubuntu("22.04", "jammy", "amd64", "20250709", 1000, 2000, 3000).publish();
        server = new MirrorServer(f.mirror);
        keyringFile = dir.resolve("keyring.gpg");
        Files.write(keyringFile, gpg.exportPublic(false));
    }

    @AfterAll
    static void stop() {
        server.close();
        gpg.close();
    }

    /** The sources of the service made last. */
    private SourceResolver resolver;

    private SimpleStreamsService service(String name, String url) throws Exception {
        SyncPlatform platform = new SyncPlatform(dir.resolve(name));
        resolver = SyncPlatform.builtInSources();
        return new SimpleStreamsService(BootSourceApiTest.directories(dir.resolve(name).resolve("data")),
                platform.database, platform.catalog, resolver, BootSourceApiTest.executor(),
                BootSourceApiTest.config(Map.of("auto_import", false, "default_source_url", url, "default_keyring",
                        keyringFile.toString())));
    }

    @Test
    void theCatalogueIsReadAfterActivationAndASelectionIsCheckedWithoutAFetch() throws Exception {
        SimpleStreamsService service = service("reachable", server.url().toString());
        try {
            assertTrue(service.importer.engine.cache.isEmpty());
            service.schedule();
            for (int i = 0; i < 200 && service.importer.engine.cache.isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertEquals(List.of(1L), List.copyOf(service.importer.engine.cache.keySet()));
            assertTrue(server.requests.contains("streams/v1/index.sjson"), server.requests.toString());
            SimpleStreamsSource source = (SimpleStreamsSource) resolver.resolve(server.url().toString());
            assertEquals(0, source.fetcher().idleConnections(), "no connection is left open after the read");
            int fetched = server.requests.size();
            BootSourceSelectionsHandler selections = new BootSourceSelectionsHandler(service);
            ApiAction post = selections.actions().stream().filter(a -> a.method().equals("POST")).findFirst()
                    .orElseThrow();
            assertEquals(200, selections.handle(post, TestApiRequest.of("POST", null, Map.of("boot_source_id", "1"),
                    "os", "ubuntu", "release", "jammy", "arches", List.of("amd64"))).status());
            assertEquals(fetched, server.requests.size(), "the selection was checked against the cache");

            // the import fetches the documents again (a changed byte is verified again) and syncs
            assertTrue(service.startImport());
            for (int i = 0; i < 200 && service.isImporting(); i++) {
                Thread.sleep(50);
            }
            assertFalse(service.isImporting());
            assertTrue(service.importer.lastReport().ok(), service.importer.lastReport().errors().toString());
            assertEquals(2, server.requests.stream().filter("streams/v1/index.sjson"::equals).count());
        } finally {
            service.deactivate();
        }
    }

    @Test
    void aSourceThatCannotBeReadAtStartIsLoggedAndChangesNothing() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(SimpleStreamsService.class.getName());
        log.addHandler(h);
        SimpleStreamsService service = service("unreachable", "http://127.0.0.1:9/");
        try {
            service.schedule();
            for (int i = 0; i < 200 && logged.isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertEquals(1, logged.size(), logged.toString());
            assertTrue(logged.get(0).startsWith("The catalogue of boot source 1 (http://127.0.0.1:9) was not read "
                    + "at start: "), logged.get(0));
            assertTrue(logged.get(0).endsWith("; the next selection or import reads it again"), logged.get(0));
            assertTrue(service.importer.engine.cache.isEmpty());
            assertFalse(service.isImporting());
        } finally {
            log.removeHandler(h);
            service.deactivate();
        }
    }
}
