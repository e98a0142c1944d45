package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiOperations;
import io.metalforge.api.http.ApiUser;
import io.metalforge.api.http.TestApiRequest;

/**
 * An import that fails says so where users look: {@code import_progress} (state {@code failed}, the reason, per
 * source, no 100 %), {@code notifications/} (an error for administrators, as MAAS raises one) and the shell (no full
 * bar, the reason in one line). One test per cause: a missing keyring, an unreachable source and a bad signature
 * (a mirror really signed by gpg with a key that is not in the source's keyring).
 */
class FailedImportTest {

    @TempDir
    static Path keys;
    static Gpg signer;
    static Gpg stranger;

    @TempDir
    Path dir;

    @BeforeAll
    static void gpg() throws Exception {
        signer = new Gpg(keys.resolve("signer"), "Failure test <failure@example.invalid>");
        stranger = new Gpg(keys.resolve("stranger"), "Stranger <stranger@example.invalid>");
    }

    @AfterAll
    static void closeGpg() {
        signer.close();
        stranger.close();
    }

    @Test
    void aMissingKeyringFailsTheImportVisibly() throws Exception {
        try (MirrorServer server = new MirrorServer(mirror(signer))) {
            Path missing = dir.resolve("no-such-keyring.gpg");
            SimpleStreamsService service = service(server.url().toString(), missing.toString());
            try {
                Map<String, Object> progress = importThroughTheApi(service);
                assertFailed(service, progress, "Keyring file " + missing + " does not exist");
            } finally {
                service.deactivate();
            }
        }
    }

    @Test
    void anUnreachableSourceFailsTheImportVisibly() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once closed
        }
        Path keyring = Files.write(dir.resolve("keyring.gpg"), signer.exportPublic(false));
        String url = "http://127.0.0.1:" + closed + "/ephemeral-v3/stable";
        SimpleStreamsService service = service(url, keyring.toString());
        try {
            Map<String, Object> progress = importThroughTheApi(service);
            assertFailed(service, progress, "Failed to fetch image manifest for boot source with url " + url);
        } finally {
            service.deactivate();
        }
    }

    @Test
    void aBadSignatureFailsTheImportVisiblyUntilTheRightKeyringIsGiven() throws Exception {
        try (MirrorServer server = new MirrorServer(mirror(stranger))) {
            Path keyring = Files.write(dir.resolve("keyring.gpg"), signer.exportPublic(false));
            SimpleStreamsService service = service(server.url().toString(), keyring.toString());
            try {
                Map<String, Object> progress = importThroughTheApi(service);
                assertFailed(service, progress, "index.sjson");
                assertTrue(String.valueOf(progress.get("error")).contains("signature")
                        || String.valueOf(progress.get("error")).contains("key"), progress.toString());
                assertTrue(service.importer.state.resources().isEmpty(), "nothing of a badly signed source is taken");

                // with the key that really signed it the next import completes and the notification goes
                Files.write(keyring, stranger.exportPublic(false));
                progress = importThroughTheApi(service);
                assertEquals("complete", progress.get("state"), progress.toString());
                assertEquals(100.0, progress.get("progress"));
                assertEquals(null, progress.get("error"));
                assertEquals("complete", source(progress).get("state"));
                assertEquals(List.of(), notifications(service, true));
                String shell = shell(service);
                assertTrue(shell.contains("Nothing to download: the selected images are up to date."), shell);
                assertFalse(shell.contains("Import failed"), shell);
            } finally {
                service.deactivate();
            }
        }
    }

    /** op=import answers "started" as MAAS does; the outcome is read through op=import_progress. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> importThroughTheApi(SimpleStreamsService service) throws Exception {
        ApiOperations ops = new ImportOperations(service);
        assertEquals("Import of boot resources started", call(ops, "import").body());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((Boolean) call(ops, "is_importing").body() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse((Boolean) call(ops, "is_importing").body());
        return (Map<String, Object>) call(ops, "import_progress").body();
    }

    private static void assertFailed(SimpleStreamsService service, Map<String, Object> progress, String reason)
            throws Exception {
        assertEquals("failed", progress.get("state"), progress.toString());
        assertTrue(((Number) progress.get("progress")).doubleValue() < 100.0, progress.toString());
        String error = (String) progress.get("error");
        assertNotNull(error);
        assertTrue(error.contains(reason), error);
        assertFalse(error.contains("\n"), "one line: " + error);
        assertEquals(0, progress.get("published"));
        Map<String, Object> source = source(progress);
        assertEquals("failed", source.get("state"));
        assertEquals("MAAS Stable", source.get("name"));
        assertTrue(String.valueOf(source.get("error")).contains(reason), source.toString());

        List<Map<String, Object>> notes = notifications(service, true);
        assertEquals(1, notes.size(), notes.toString());
        Map<String, Object> note = notes.get(0);
        assertEquals("error", note.get("category"));
        assertEquals(true, note.get("admins"));
        assertTrue(((String) note.get("message")).contains(reason), note.toString());
        assertEquals(note, call(new NotificationHandler(new NotificationsHandler(service)), "GET",
                Map.of("id", String.valueOf(note.get("id")))).body());
        assertEquals(List.of(), notifications(service, false), "import failures are for administrators");

        String shell = shell(service);
        assertTrue(shell.contains("Import failed: " + error), shell);
        assertFalse(shell.contains("100.0%"), "no full bar for a failed import: " + shell);
        assertFalse(shell.contains("[####"), shell);
    }

    @Test
    void ctrlCStopsFollowingTheImportNotTheImport() throws Exception {
        try (MirrorServer server = new MirrorServer(mirror(signer))) {
            // the signed index trickles, so the import is still running when the key is pressed
            server.faults.put("streams/v1/index.sjson", new MirrorServer.Slow(200));
            Path keyring = Files.write(dir.resolve("keyring.gpg"), signer.exportPublic(false));
            SimpleStreamsService service = service(server.url().toString(), keyring.toString());
            String followed;
            PrintStream old = System.out;
            try {
                System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                // Ctrl-C in the Gogo console interrupts the command's thread
                Thread.currentThread().interrupt();
                followed = new ImportCommands(service,
                        new io.metalforge.platform.internal.TerminalConsole(System.out), null).importNow();
            } finally {
                System.setOut(old);
                Thread.interrupted();
            }
            assertEquals(ImportCommands.CTRL_C, followed);
            assertTrue(service.isImporting(), "the import goes on after Ctrl-C");
            assertTrue(service.stopImport());
            // the stopped import ends before the mirror and the temporary folder go
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (service.isImporting() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(service.isImporting(), "the import stopped");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> source(Map<String, Object> progress) {
        List<Map<String, Object>> sources = (List<Map<String, Object>>) progress.get("sources");
        assertEquals(1, sources.size(), progress.toString());
        return sources.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> notifications(SimpleStreamsService service, boolean admin)
            throws Exception {
        NotificationsHandler h = new NotificationsHandler(service);
        if (admin) {
            return (List<Map<String, Object>>) call(h, "GET", Map.of()).body();
        }
        return h.visibleTo(new ApiUser("bob", false));
    }

    /** What the shell's metalforge:import prints (the bar) and returns (the summary). */
    private static String shell(SimpleStreamsService service) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String result;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            // the console the platform gives the shell, on the captured output; importNow needs no catalog
            result = new ImportCommands(service, new io.metalforge.platform.internal.TerminalConsole(System.out), null)
                    .importNow();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8) + result;
    }

    private static io.metalforge.api.http.ApiResponse call(ApiOperations ops, String op) throws ApiException {
        ApiAction a = ops.actions().stream().filter(x -> x.op().equals(op)).findFirst().orElseThrow();
        return ops.handle(a, TestApiRequest.of(a.method(), op, Map.of()));
    }

    private static io.metalforge.api.http.ApiResponse call(ApiHandler h, String method, Map<String, String> path)
            throws ApiException {
        ApiAction a = h.actions().stream().filter(x -> x.method().equals(method)).findFirst().orElseThrow();
        return h.handle(a, TestApiRequest.of(method, null, path));
    }

    private Path mirror(Gpg by) throws Exception {
        return new MirrorFixture(dir.resolve("mirror"), by).ubuntu("24.04", "noble", "amd64", "20250709", 1000,
                2000, 3000).publish().mirror;
    }

    private SimpleStreamsService service(String url, String keyring) throws Exception {
        SyncPlatform platform = new SyncPlatform(dir);
        return new SimpleStreamsService(BootSourceApiTest.directories(dir.resolve("data")), platform.database,
                platform.catalog,
                SyncPlatform.builtInSources(), BootSourceApiTest.executor(), BootSourceApiTest.config(Map.of("auto_import", false,
                        "default_source_url", url,
                        "default_keyring", keyring)));
    }
}
