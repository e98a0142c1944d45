package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.TestApiRequest;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.platform.PlatformDirectories;
import io.metalforge.platform.internal.PlatformExecutorImpl;

/**
 * The boot-source, selection and boot-resource API handlers called directly (the dispatcher is another bundle),
 * over the real service, a signed mirror on a loopback server, the filesystem store and the catalog.
 */
class BootSourceApiTest {

    @TempDir
    static Path dir;
    static Gpg gpg;
    static MirrorServer server;
    static SimpleStreamsService service;
    static byte[] keyring;

    @BeforeAll
    static void start() throws Exception {
        gpg = new Gpg(dir.resolve("gnupg"), "API test <api@example.invalid>");
        MirrorFixture f = new MirrorFixture(dir.resolve("mirror"), gpg)
                .ubuntu("24.04", "noble", "amd64", "20250709", 1000, 2000, 3000)
                .ubuntu("22.04", "jammy", "amd64", "20250709", 1000, 2000, 3000).bootloader("20250709").publish();
        server = new MirrorServer(f.mirror);
        keyring = gpg.exportPublic(false);
        Path keyringFile = dir.resolve("keyring.gpg");
        Files.write(keyringFile, keyring);
        SyncPlatform platform = new SyncPlatform(dir);
        service = new SimpleStreamsService(directories(dir.resolve("data")), platform.database, platform.catalog,
                SyncPlatform.builtInSources(), executor(), config(Map.of("auto_import", false, "default_source_url",
                        server.url().toString(),
                        "default_keyring", keyringFile.toString())));
    }

    /** The platform's executor as the simplestreams component gets it. */
    static PlatformExecutorImpl executor() {
        return new PlatformExecutorImpl("io.metalforge.simplestreams", 2, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        service.deactivate();
        server.close();
        gpg.close();
    }

    private static ApiResponse call(ApiHandler h, String method, String op, Map<String, String> path,
            Object... params) throws ApiException {
        ApiAction action = h.actions().stream().filter(a -> a.method().equals(method)
                && java.util.Objects.equals(a.op(), op)).findFirst().orElseThrow();
        return h.handle(action, TestApiRequest.of(method, op, path, params));
    }

    @SuppressWarnings("unchecked")
    @Test
    void sourcesSelectionsImportAndResourcesThroughTheApi() throws Exception {
        BootSourcesHandler sources = new BootSourcesHandler(service);
        BootSourceHandler source = new BootSourceHandler(service);
        BootSourceSelectionsHandler selections = new BootSourceSelectionsHandler(service);
        BootSourceSelectionHandler selection = new BootSourceSelectionHandler(service);

        // the fresh install's default source and selection
        List<Map<String, Object>> list = (List<Map<String, Object>>) call(sources, "GET", null, Map.of()).body();
        assertEquals(1, list.size());
        Map<String, Object> stable = list.get(0);
        assertEquals("MAAS Stable", stable.get("name"));
        assertEquals(1, stable.get("priority"));
        assertEquals("", stable.get("keyring_data"));
        assertEquals("/MAAS/api/2.0/boot-sources/1/", stable.get("resource_uri"));
        List<Map<String, Object>> sels = (List<Map<String, Object>>) call(selections, "GET", null,
                Map.of("boot_source_id", "1")).body();
        assertEquals(1, sels.size());
        assertEquals("noble", sels.get(0).get("release"));
        assertEquals(List.of("amd64"), sels.get(0).get("arches"));

        // create: keyring rules, daily → stable, defaults, uniqueness
        ApiException e = assertThrows(ApiException.class, () -> call(sources, "POST", null, Map.of(),
                "url", "http://mirror.example/ephemeral-v3/candidate/"));
        assertEquals(List.of("One of keyring_data or keyring_filename must be specified."),
                e.fieldErrors().get("__all__"));
        ApiAction create = sources.actions().get(1);
        ApiResponse created = sources.handle(create, TestApiRequest.of("POST", null, Map.of(), "url",
                "http://mirror.example/ephemeral-v3/daily/").withFile("keyring_data", keyring));
        assertEquals(201, created.status());
        Map<String, Object> daily = (Map<String, Object>) created.body();
        assertEquals("http://mirror.example/ephemeral-v3/stable", daily.get("url"));
        assertEquals(2, daily.get("priority"));
        assertEquals(Base64.getEncoder().encodeToString(keyring), daily.get("keyring_data"));
        assertEquals(false, daily.get("skip_keyring_verification"));
        e = assertThrows(ApiException.class, () -> call(sources, "POST", null, Map.of(), "url",
                "http://mirror.example/ephemeral-v3/stable", "skip_keyring_verification", "true"));
        assertTrue(e.fieldErrors().containsKey("url"), e.fieldErrors().toString());
        Map<String, Object> json = (Map<String, Object>) call(sources, "POST", null, Map.of(), "url",
                "http://mirror.example/x/streams/v1/index.json", "priority", "7").body();
        assertEquals(true, json.get("skip_keyring_verification"));
        e = assertThrows(ApiException.class, () -> call(sources, "POST", null, Map.of(), "url", "ftp://x/y",
                "skip_keyring_verification", "true", "priority", "-1"));
        assertTrue(e.fieldErrors().containsKey("url") && e.fieldErrors().containsKey("priority"));

        // update, disable and delete
        Map<String, Object> updated = (Map<String, Object>) call(source, "PUT", null,
                Map.of("id", String.valueOf(daily.get("id"))), "enabled", "false").body();
        assertEquals(false, updated.get("enabled"));
        assertEquals(204, call(source, "DELETE", null, Map.of("id", String.valueOf(daily.get("id")))).status());
        assertEquals(204, call(source, "DELETE", null, Map.of("id", String.valueOf(json.get("id")))).status());
        e = assertThrows(ApiException.class, () -> call(source, "GET", null, Map.of("id", "99")));
        assertEquals(404, e.status());

        // selections are validated against the source's cache
        e = assertThrows(ApiException.class, () -> call(selections, "POST", null, Map.of("boot_source_id", "1"),
                "os", "ubuntu", "release", "bionic"));
        assertEquals("OS ubuntu with release bionic has no available images for download", e.getMessage());
        e = assertThrows(ApiException.class, () -> call(selections, "POST", null, Map.of("boot_source_id", "1"),
                "os", "ubuntu", "release", "jammy", "arches", List.of("amd64", "s390x")));
        assertEquals(List.of("No available images to download for [s390x]"), e.fieldErrors().get("arches"));
        ApiResponse sel = call(selections, "POST", null, Map.of("boot_source_id", "1"), "os", "ubuntu", "release",
                "jammy", "arches", List.of("amd64"), "labels", List.of("stable"));
        assertEquals(200, sel.status());
        Map<String, Object> jammy = (Map<String, Object>) sel.body();
        assertEquals("/MAAS/api/2.0/boot-sources/1/selections/" + jammy.get("id") + "/", jammy.get("resource_uri"));
        e = assertThrows(ApiException.class, () -> call(selections, "POST", null, Map.of("boot_source_id", "1"),
                "os", "ubuntu", "release", "jammy"));
        assertEquals(400, e.status());
        Map<String, Object> read = (Map<String, Object>) call(selection, "GET", null,
                Map.of("boot_source_id", "1", "id", String.valueOf(jammy.get("id")))).body();
        assertEquals(List.of("stable"), read.get("labels"));

        // import (this bundle adds its import operations to the catalog's boot-resources/)
        assertTrue(service.startImport());
        for (int i = 0; i < 200 && service.isImporting(); i++) {
            Thread.sleep(50);
        }
        assertFalse(service.isImporting());
        assertTrue(service.importer.lastReport().ok(), service.importer.lastReport().errors().toString());
        assertEquals(List.of("grub-efi-signed/uefi", "ubuntu/jammy", "ubuntu/noble"), service.importer.state
                .resources().stream().map(SyncedState.Resource::name).sorted().toList());
        Map<String, Object> progress = service.progress();
        assertEquals(100.0, progress.get("progress"));
        assertEquals(progress.get("bytes_total"), progress.get("bytes_done"));
        assertEquals(7, ((List<?>) progress.get("files")).size());
        assertFalse(service.stopImport(), "nothing to stop");

        // deleting the selection's source removes its selections
        assertEquals(204, call(selection, "DELETE", null, Map.of("boot_source_id", "1", "id",
                String.valueOf(jammy.get("id")))).status());
        assertFalse(service.sources.selections(1).stream().anyMatch(s -> "jammy".equals(s.get("release"))));
    }

    @Test
    void progressBarRendersBytesRateAndEta() {
        assertEquals("[##########..........]  50.0% 1.0 GiB/2.0 GiB 100.0 MiB/s ETA 0:10",
                ProgressBar.render(1L << 30, 2L << 30, 100 * 1024 * 1024, 10, 20));
        assertEquals("[....................]   0.0% 0 B/1.0 KiB 0 B/s ETA --:--", ProgressBar.render(0, 1024, 0, -1, 20));
        assertEquals("1:01:01", ProgressBar.eta(3661));
    }

    // ---- platform pieces the component references (real implementations live in io.metalforge.platform) ----

    static PlatformDirectories directories(Path data) throws Exception {
        Files.createDirectories(data);
        return new PlatformDirectories() {
            @Override
            public Path data() {
                return data;
            }

            @Override
            public Path deploy() {
                return data;
            }
        };
    }

    /**
     * A configuration with the metatype defaults, some overridden by their configuration keys, as Config Admin would
     * pass it (DS maps a method {@code auto__import()} to the key {@code auto_import}).
     */
    static SyncConfiguration config(Map<String, Object> overrides) {
        return (SyncConfiguration) Proxy.newProxyInstance(SyncConfiguration.class.getClassLoader(),
                new Class<?>[] {SyncConfiguration.class}, (p, m, args) -> {
                    String key = m.getName().replace("__", "_");
                    if (overrides.containsKey(key)) {
                        return overrides.get(key);
                    }
                    if (m.getName().equals("annotationType")) {
                        return SyncConfiguration.class;
                    }
                    return m.getDefaultValue();
                });
    }
}
