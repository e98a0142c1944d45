package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.UploadedImageCount;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.Severity;

/** The v2 upload flow as the maas CLI drives it: create, then 4 MiB chunks to upload_uri. */
class UploadTest {

    static final int CHUNK = 1 << 22;

    @TempDir
    Path dir;

    static TestRequest create(String name, byte[] image, String... more) throws Exception {
        TestRequest request = new TestRequest("POST").param("name", name).param("architecture", "amd64/generic")
                .param("sha256", Images.sha256(image)).param("size", Integer.toString(image.length));
        for (int i = 0; i < more.length; i += 2) {
            request.param(more[i], more[i + 1]);
        }
        return request;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(ApiResponse response) {
        return (Map<String, Object>) response.body();
    }

    /** The only file of the newest set, as the CLI picks it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> newestFile(Map<String, Object> resource) {
        Map<String, Object> sets = (Map<String, Object>) resource.get("sets");
        String newest = sets.keySet().stream().max(String::compareTo).orElseThrow();
        Map<String, Object> files = (Map<String, Object>) ((Map<String, Object>) sets.get(newest)).get("files");
        assertEquals(1, files.size());
        return (Map<String, Object>) files.values().iterator().next();
    }

    static long[] ids(String uploadUri) {
        String[] parts = uploadUri.split("/");
        // /MAAS/api/2.0/boot-resources/RID/upload/FID/
        return new long[] { Long.parseLong(parts[5]), Long.parseLong(parts[7]) };
    }

    static ApiResponse put(Platform p, long[] ids, byte[] image, int offset, int length) throws ApiException {
        return p.upload.handle(BootResourceFileUploadHandler.UPDATE, new TestRequest("PUT")
                .path("resource_id", ids[0]).path("id", ids[1]).body(image, offset, length));
    }

    /** Sends the image in CLI-sized chunks from {@code from}; every reply must be 200 "OK". */
    static void sendChunks(Platform p, long[] ids, byte[] image, int from) throws ApiException {
        for (int at = from; at < image.length; at += CHUNK) {
            ApiResponse reply = put(p, ids, image, at, Math.min(CHUNK, image.length - at));
            assertEquals(200, reply.status());
            assertEquals("OK", reply.body());
        }
    }

    Map<String, Object> read(Platform p, long id) throws ApiException {
        return body(p.resource.handle(BootResourceHandler.READ, new TestRequest("GET").path("id", id)));
    }

    @Test
    void customImageUploadsInChunksAndCarriesTheDoctorsReport() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] image = Images.ubuntuTgz(false, 9 << 20, 1);

        ApiResponse created = p.resources.handle(BootResourcesHandler.CREATE,
                create("my-image", image, "title", "My image", "base_image", "ubuntu/noble"));
        assertEquals(201, created.status());
        Map<String, Object> resource = body(created);
        assertEquals("Uploaded", resource.get("type"));
        assertEquals("my-image", resource.get("name"));
        assertEquals("generic", resource.get("subarches"));
        assertEquals("My image", resource.get("title"));
        assertEquals("ubuntu/noble", resource.get("base_image"));
        Map<String, Object> file = newestFile(resource);
        assertEquals(false, file.get("complete"));
        assertEquals("root.tgz", file.get("filename"));
        assertEquals("root-tgz", file.get("filetype"));
        assertEquals(Images.sha256(image).substring(0, 7), file.get("filename_on_disk"));
        long[] ids = ids((String) file.get("upload_uri"));
        assertEquals(((Number) resource.get("id")).longValue(), ids[0]);

        sendChunks(p, ids, image, 0);

        Map<String, Object> done = newestFile(read(p, ids[0]));
        assertEquals(true, done.get("complete"));
        assertFalse(done.containsKey("upload_uri"));
        assertFalse(done.containsKey("progress"));
        assertEquals("undeployable", done.get("image_verdict"));
        assertEquals(List.of(("custom image with an ubuntu base lacks netplan: deployment would abort "
                + "(looked for /usr/sbin/netplan, "
                + "/usr/bin/netplan, /sbin/netplan, /bin/netplan, /usr/share/netplan/netplan.script, "
                + "/usr/lib/netplan/generate)")),
                done.get("image_problems"));
        // the original bytes, unchanged
        assertArrayEquals(image, Files.readAllBytes(dir.resolve("blobs").resolve(Images.sha256(image))));

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> reports = (Map<String, Map<String, Object>>) p.resource
                .handle(BootResourceHandler.REPORT, new TestRequest("GET").path("id", ids[0])).body();
        ImageReport report = (ImageReport) reports.values().iterator().next().get("report");
        assertEquals("ubuntu", report.rootFilesystem().osId());
        assertEquals(Map.of("amd64", 1), report.rootFilesystem().architectures());

        assertEquals(List.of(new UploadedImageCount("ubuntu/noble", "root-tgz", 1)), p.catalog.uploadedCustomImages());
    }

    @Test
    void onlyCompleteUploadsAreCounted() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        ImagesCommand shell = new ImagesCommand(p.catalog);
        // refused at its first chunk: a tgz declared as a disk image
        byte[] image = Images.ubuntuTgz(true, 100_000, 5);
        long[] refused = ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("refused", image, "filetype", "ddxz", "base_image", "ubuntu/noble")))).get("upload_uri"));
        assertEquals(400, assertThrows(ApiException.class, () -> sendChunks(p, refused, image, 0)).status());
        // half sent
        byte[] big = Images.ubuntuTgz(true, 9 << 20, 6);
        long[] half = ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("half", big, "base_image", "ubuntu/noble")))).get("upload_uri"));
        put(p, half, big, 0, CHUNK);
        assertEquals(List.of(), p.catalog.uploadedCustomImages());
        assertEquals("maas_custom_static_images_uploaded\n", shell.metrics());

        sendChunks(p, half, big, CHUNK);
        assertEquals(List.of(new UploadedImageCount("ubuntu/noble", "root-tgz", 1)), p.catalog.uploadedCustomImages());
        assertEquals("maas_custom_static_images_uploaded\n  {base_image=\"ubuntu/noble\",file_type=\"root-tgz\"} 1"
                + System.lineSeparator(), shell.metrics());
    }

    @Test
    void chunkErrorsUseMaasMessages() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 100_000, 2);
        long[] ids = ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("img", image)))).get("upload_uri"));

        assertEquals("Missing data.", assertThrows(ApiException.class, () -> put(p, ids, image, 0, 0)).getMessage());
        ApiException shortBody = assertThrows(ApiException.class, () -> p.upload.handle(
                BootResourceFileUploadHandler.UPDATE, new TestRequest("PUT").path("resource_id", ids[0])
                        .path("id", ids[1]).body(new ByteArrayInputStream(image, 0, 1000), 5000)));
        assertEquals("Content-Length doesn't equal size of received data.", shortBody.getMessage());
        assertEquals(0, p.uploads.received(ids[0], ids[1]));

        byte[] bigger = java.util.Arrays.copyOf(image, image.length + 10);
        ApiException tooMuch = assertThrows(ApiException.class, () -> put(p, ids, bigger, 0, bigger.length));
        assertEquals(400, tooMuch.status());
        assertEquals("Too much data received.", tooMuch.getMessage());

        ApiException unknown = assertThrows(ApiException.class, () -> put(p, new long[] { ids[0], 999 }, image, 0, 10));
        assertEquals(404, unknown.status());

        // wrong content of the right size and format
        byte[] other = Images.ubuntuTgz(true, 100_000, 3);
        byte[] sameSize = java.util.Arrays.copyOf(other, image.length);
        ApiException mismatch = assertThrows(ApiException.class, () -> sendChunks(p, ids, sameSize, 0));
        assertTrue(mismatch.getMessage().equals("Saved content does not match given SHA256 value.")
                || mismatch.getMessage().startsWith("Image rejected"), mismatch.getMessage());

        sendChunks(p, ids, image, 0);
        ApiException complete = assertThrows(ApiException.class, () -> put(p, ids, image, 0, 10));
        assertEquals("Cannot upload to a complete file.", complete.getMessage());

        // synced resources take no uploads
        BootResource synced = p.catalog.resources(Optional.of(io.metalforge.api.catalog.ResourceType.SYNCED)).get(0);
        long kernel = p.catalog.files(p.catalog.sets(synced.id()).get(0).id()).get(0).id();
        ApiException forbidden = assertThrows(ApiException.class,
                () -> put(p, new long[] { synced.id(), kernel }, image, 0, 10));
        assertEquals(403, forbidden.status());
        assertEquals("Cannot upload to a resource of type: 0.", forbidden.getMessage());
    }

    @Test
    void declaredFiletypeIsCheckedAgainstTheFirstChunk() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 10_000, 4);
        long[] ids = ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("img", image, "filetype", "ddxz")))).get("upload_uri"));
        ApiException wrong = assertThrows(ApiException.class, () -> put(p, ids, image, 0, image.length));
        assertEquals(400, wrong.status());
        assertEquals("Declared filetype root-dd.xz (xz-compressed raw disk image) does not match the content: "
                + "gzip-compressed tar archive.", wrong.getMessage());
        assertEquals(0, p.uploads.received(ids[0], ids[1]));
    }

    @Test
    void droppedUploadResumesAfterARestart() throws Exception {
        Platform first = new Platform(dir);
        first.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 10 << 20, 5);
        long[] ids = ids((String) newestFile(body(first.resources.handle(BootResourcesHandler.CREATE,
                create("resumed", image, "base_image", "ubuntu/noble")))).get("upload_uri"));
        put(first, ids, image, 0, CHUNK);
        // the connection drops in the middle of the second chunk
        InputStream dropping = new InputStream() {
            int left = 1000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 7;
                }
                throw new IOException("connection reset by peer");
            }
        };
        assertThrows(ApiException.class, () -> first.upload.handle(BootResourceFileUploadHandler.UPDATE,
                new TestRequest("PUT").path("resource_id", ids[0]).path("id", ids[1]).body(dropping, CHUNK)));

        // platform restart: new store, catalog and upload service over the same folder
        Platform second = new Platform(dir);
        @SuppressWarnings("unchecked")
        Map<String, Object> progress = (Map<String, Object>) second.upload.handle(BootResourceFileUploadHandler.READ,
                new TestRequest("GET").path("resource_id", ids[0]).path("id", ids[1])).body();
        assertEquals((long) CHUNK, progress.get("received"));
        Map<String, Object> file = newestFile(read(second, ids[0]));
        assertEquals((long) CHUNK, file.get("received"));
        assertEquals(false, file.get("complete"));

        sendChunks(second, ids, image, CHUNK);
        Map<String, Object> done = newestFile(read(second, ids[0]));
        assertEquals(true, done.get("complete"));
        assertEquals("ok", done.get("image_verdict"));
    }

    @Test
    void contentAlreadyStoredCompletesAtOnceAndSharesItsName() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 50_000, 6);
        long[] ids = ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("first", image)))).get("upload_uri"));
        sendChunks(p, ids, image, 0);

        Map<String, Object> second = newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("second", image))));
        assertEquals(true, second.get("complete"));
        assertFalse(second.containsKey("upload_uri"));
        assertEquals(Images.sha256(image).substring(0, 7), second.get("filename_on_disk"));
        assertEquals("ok", second.get("image_verdict"));

        // same sha256, different size
        TestRequest lying = create("third", image);
        lying.parameters().put("size", List.of("123"));
        ApiException differentSize = assertThrows(ApiException.class,
                () -> p.resources.handle(BootResourcesHandler.CREATE, lying));
        assertEquals("File already exists with sha256 that is of different size.", differentSize.getMessage());
        assertTrue(differentSize.fieldErrors().isEmpty());
    }

    @Test
    void reuploadReplacesUnlessKeepOldAndDeleteRemovesBytes() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] v1 = Images.ubuntuTgz(true, 20_000, 7);
        byte[] v2 = Images.ubuntuTgz(true, 20_000, 8);
        byte[] v3 = Images.ubuntuTgz(true, 20_000, 9);
        sendChunks(p, ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("img", v1)))).get("upload_uri")), v1, 0);
        Map<String, Object> second = body(p.resources.handle(BootResourcesHandler.CREATE, create("img", v2)));
        long id = ((Number) second.get("id")).longValue();
        sendChunks(p, ids((String) newestFile(second).get("upload_uri")), v2, 0);
        assertEquals(1, p.catalog.sets(id).size());
        assertFalse(p.store.contains(Images.sha256(v1)), "replaced image's bytes are removed");

        Map<String, Object> third = body(p.resources.handle(BootResourcesHandler.CREATE,
                create("img", v3, "keep_old", "true")));
        sendChunks(p, ids((String) newestFile(third).get("upload_uri")), v3, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> sets = (Map<String, Object>) read(p, id).get("sets");
        assertEquals(2, sets.size());
        assertTrue(sets.keySet().stream().anyMatch(v -> v.matches("\\d{8}\\.1")), sets.keySet()::toString);

        // another image shares v3's bytes: deleting img keeps them, deleting both removes them
        Map<String, Object> twin = body(p.resources.handle(BootResourcesHandler.CREATE, create("twin", v3)));
        assertEquals(204, p.resource.handle(BootResourceHandler.DELETE, new TestRequest("DELETE").path("id", id))
                .status());
        assertFalse(p.store.contains(Images.sha256(v2)));
        assertTrue(p.store.contains(Images.sha256(v3)));
        p.resource.handle(BootResourceHandler.DELETE, new TestRequest("DELETE").path("id", twin.get("id")));
        assertFalse(p.store.contains(Images.sha256(v3)));
        assertEquals(404, assertThrows(ApiException.class, () -> read(p, id)).status());
    }

    @Test
    void concurrentUploadsOfTheSameAndOfDifferentImages() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] shared = Images.ubuntuTgz(true, 6 << 20, 10);
        byte[] a = Images.ubuntuTgz(true, 5 << 20, 11);
        byte[] b = Images.ubuntuTgz(true, 5 << 20, 12);
        List<Callable<String>> jobs = new ArrayList<>();
        for (String name : List.of("s1", "s2", "s3")) {
            jobs.add(() -> uploadAll(p, name, shared));
        }
        jobs.add(() -> uploadAll(p, "a", a));
        jobs.add(() -> uploadAll(p, "b", b));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (Future<String> result : pool.invokeAll(jobs)) {
                assertEquals("ok", result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (BootResource r : p.catalog.resources(Optional.of(io.metalforge.api.catalog.ResourceType.UPLOADED))) {
            Map<String, Object> file = newestFile(read(p, r.id()));
            assertEquals(true, file.get("complete"), r.name());
        }
        assertArrayEquals(shared, Files.readAllBytes(dir.resolve("blobs").resolve(Images.sha256(shared))));
        try (var files = Files.list(dir.resolve("blobs").resolve(".partial"))) {
            assertEquals(0, files.count());
        }
    }

    private String uploadAll(Platform p, String name, byte[] image) throws Exception {
        Map<String, Object> file = newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create(name, image))));
        if (Boolean.TRUE.equals(file.get("complete"))) {
            return "ok";
        }
        long[] ids = ids((String) file.get("upload_uri"));
        for (int at = 0; at < image.length; at += CHUNK) {
            try {
                put(p, ids, image, at, Math.min(CHUNK, image.length - at));
            } catch (ApiException e) {
                // a twin completed the same content meanwhile: then the file is complete
                if (!e.getMessage().equals("Cannot upload to a complete file.")) {
                    throw e;
                }
                break;
            }
        }
        return "ok";
    }

    @Test
    void diskImageUnderATarballOnlyOsNameIsFlagged() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        // a real MBR disk image: one Linux partition at 1 MiB holding an ext4 superblock
        byte[] disk = new byte[4 << 20];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(disk).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        disk[446] = (byte) 0x80;
        disk[446 + 4] = (byte) 0x83;
        b.putInt(446 + 8, 2048);
        b.putInt(446 + 12, 6144);
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
        b.putShort((1 << 20) + 1024 + 56, (short) 0xEF53);
        b.putInt((1 << 20) + 1024 + 0x60, 0x40);
        Map<String, Object> file = newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("centos/golden", disk, "filetype", "ddraw"))));
        sendChunks(p, ids((String) file.get("upload_uri")), disk, 0);
        Map<String, Object> done = newestFile(read(p, ids((String) file.get("upload_uri"))[0]));
        assertEquals("undeployable", done.get("image_verdict"));
        assertEquals(List.of("a root-dd.raw image named centos/golden is deployed as centos, which installs only root "
                + "tarballs: upload it as custom/golden with base_image=centos/<release>",
                "no EFI system partition: UEFI machines cannot boot it"), done.get("image_problems"));
    }

    @Test
    void truncatedArchiveIsRejectedAndNothingKept() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] whole = Images.ubuntuTgz(true, 9 << 20, 15);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 100_000);
        long[] ids = ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("cut", cut)))).get("upload_uri"));
        ApiException rejected = assertThrows(ApiException.class, () -> sendChunks(p, ids, cut, 0));
        assertEquals(400, rejected.status());
        assertTrue(rejected.getMessage().startsWith("Image rejected: corrupt or truncated gzip-compressed tar archive"),
                rejected.getMessage());
        assertEquals(0, p.uploads.received(ids[0], ids[1]));
        assertFalse(p.store.contains(Images.sha256(cut)));
        assertEquals(false, newestFile(read(p, ids[0])).get("complete"));
    }

    /** Out of space is simulated with a store quota (a real disk cannot be filled safely here). */
    @Test
    void outOfSpaceIsAClearErrorAndKeepsNothing() throws Exception {
        Platform p = new Platform(dir, 3 << 20);
        p.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 5 << 20, 13);
        long[] ids = ids((String) newestFile(body(p.resources.handle(BootResourcesHandler.CREATE,
                create("big", image)))).get("upload_uri"));
        ApiException full = assertThrows(ApiException.class, () -> sendChunks(p, ids, image, 0));
        assertEquals(507, full.status());
        assertTrue(full.getMessage().startsWith("Not enough free space in the image store: ")
                && full.getMessage().endsWith("Nothing of this chunk was stored; free space (delete unused images, "
                        + "metalforge:images gc) and send it again."), full.getMessage());
        assertEquals(0, p.uploads.received(ids[0], ids[1]));
        assertFalse(p.store.contains(Images.sha256(image)));
    }

    @Test
    void catalogSurvivesARestartAndListsByType() throws Exception {
        Platform first = new Platform(dir);
        first.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 1000, 14);
        sendChunks(first, ids((String) newestFile(body(first.resources.handle(BootResourcesHandler.CREATE,
                create("kept", image)))).get("upload_uri")), image, 0);

        Platform second = new Platform(dir);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) second.resources
                .handle(BootResourcesHandler.READ, new TestRequest("GET")).body();
        assertEquals(List.of("ubuntu/noble", "kept"), all.stream().map(r -> r.get("name")).toList());
        assertEquals(List.of("Synced", "Uploaded"), all.stream().map(r -> r.get("type")).toList());
        assertFalse(all.get(0).containsKey("sets"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> uploaded = (List<Map<String, Object>>) second.resources
                .handle(BootResourcesHandler.READ, new TestRequest("GET").param("type", "uploaded")).body();
        assertEquals(1, uploaded.size());
        assertEquals(true, newestFile(read(second, ((Number) uploaded.get(0).get("id")).longValue()))
                .get("complete"));
        ApiException bad = assertThrows(ApiException.class, () -> second.resources.handle(BootResourcesHandler.READ,
                new TestRequest("GET").param("type", "x")));
        assertEquals("'x' is not a valid boot resource type. Available types: ['all', 'synced', 'uploaded']",
                bad.getMessage());
        assertEquals(List.of("amd64/generic"), second.catalog.usableArchitectures());
        assertTrue(second.catalog.isComplete(second.catalog.sets(1).get(0).id()));
    }

    @Test
    void unusedReportFieldIsNullWhenNotInspected() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        BootResource synced = p.catalog.resources(Optional.empty()).get(0);
        assertNull(p.catalog.files(p.catalog.sets(synced.id()).get(0).id()).get(0).report());
        assertEquals(Severity.INFO.compareTo(Severity.WARNING) < 0, true);
    }
}
