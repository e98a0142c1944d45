package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.NewBootResourceFile;
import io.metalforge.api.catalog.NewBootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.TestApiRequest;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;

/**
 * A set published with its files in one call (as the image sync does): every file is there with the name and
 * completeness {@code addFile} would give it, names stay unique among the set's own files, and a set whose files
 * cannot all be added is not there at all. On the embedded database and on PostgreSQL when METALFORGE_TEST_PG_URL is
 * set (see .ci/start-postgres.sh).
 */
class SetPublicationTest {

    @TempDir
    Path dir;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    private DatabaseService open(String kind) {
        return TestDatabases.byKind(kind, dir.resolve("data"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    @SuppressWarnings("unchecked")
    void aSetAndAllItsFilesAppearTogether(String kind) throws Exception {
        DatabaseService db = open(kind);
        try {
            Platform platform = new Platform(dir, 0, db);
            CatalogService catalog = platform.catalog;
            String run = Long.toString(System.nanoTime(), 36); // PostgreSQL is shared by test runs: unique names
            BootResource r = catalog.findOrCreate(new NewBootResource(ResourceType.SYNCED, "ubuntu/noble",
                    "amd64/ga-24.04-" + run, "", "", "", "generic", false, Map.of()));
            byte[] kernel = ("kernel " + run).getBytes(StandardCharsets.UTF_8);
            String kernelSha = Images.sha256(kernel);
            platform.store.write(kernelSha, kernel.length, new ByteArrayInputStream(kernel));
            // two contents whose sha256 share their first 12 characters: their short names must differ anyway
            String twinA = kernelSha.substring(0, 12) + "a".repeat(52);
            String twinB = kernelSha.substring(0, 12) + "b".repeat(52);

            BootResourceSet set = catalog.createSetWithFiles(r.id(), "20250709", "stable", List.of(
                    new NewBootResourceFile("boot-kernel", "boot-kernel", kernelSha, kernel.length,
                            Map.of("kpackage", "linux-generic")),
                    new NewBootResourceFile("boot-initrd", "boot-initrd", twinA, 10, Map.of()),
                    new NewBootResourceFile("squashfs", "squashfs", twinB, 20, Map.of())));

            List<BootResourceFile> files = catalog.files(set.id());
            assertEquals(3, files.size());
            BootResourceFile k = files.stream().filter(f -> f.filename().equals("boot-kernel")).findFirst().orElseThrow();
            assertTrue(k.complete(), "the store holds the kernel's bytes");
            assertEquals("linux-generic", k.extra().get("kpackage"));
            assertFalse(files.stream().filter(f -> !f.filename().equals("boot-kernel")).anyMatch(BootResourceFile::complete));
            List<String> names = files.stream().map(BootResourceFile::filenameOnDisk).distinct().toList();
            assertEquals(3, names.size(), "short names " + names);
            files.forEach(f -> assertTrue(f.sha256().startsWith(f.filenameOnDisk()), f.toString()));

            // what a MAAS client reads: the set with its three files
            ApiResponse read = platform.resource.handle(BootResourceHandler.READ, TestApiRequest.of("GET", null,
                    Map.of("id", Long.toString(r.id()))));
            assertEquals(200, read.status());
            Map<String, Object> sets = (Map<String, Object>) ((Map<String, Object>) read.body()).get("sets");
            Map<String, Object> published = (Map<String, Object>) sets.get("20250709");
            assertEquals(3, ((Map<String, Object>) published.get("files")).size());

            // a set whose files cannot all be added (two named alike) leaves nothing behind
            assertThrows(RuntimeException.class, () -> catalog.createSetWithFiles(r.id(), "20250710", "stable",
                    List.of(new NewBootResourceFile("squashfs", "squashfs", twinA, 10, Map.of()),
                            new NewBootResourceFile("squashfs", "squashfs", twinB, 20, Map.of()))));
            assertEquals(List.of("20250709"), catalog.sets(r.id()).stream().map(BootResourceSet::version).toList());
            assertNotEquals(0, set.id());
            catalog.deleteResource(r.id());
        } finally {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void setsOfSeveralResourcesArePublishedTogetherOrNotAtAll(String kind) throws Exception {
        DatabaseService db = open(kind);
        try {
            CatalogService catalog = new Platform(dir, 0, db).catalog;
            String run = Long.toString(System.nanoTime(), 36);
            BootResource noble = catalog.findOrCreate(synced("ubuntu/noble", "amd64/ga-24.04-" + run));
            BootResource jammy = catalog.findOrCreate(synced("ubuntu/jammy", "amd64/ga-22.04-" + run));
            String a = Images.sha256(("a " + run).getBytes(StandardCharsets.UTF_8));
            String b = Images.sha256(("b " + run).getBytes(StandardCharsets.UTF_8));
            // the same content in both sets gets one short name
            List<BootResourceSet> made = catalog.createSetsWithFiles(List.of(
                    new NewBootResourceSet(noble.id(), "20250709", "stable", List.of(
                            new NewBootResourceFile("boot-kernel", "boot-kernel", a, 10, Map.of()),
                            new NewBootResourceFile("boot-initrd", "boot-initrd", b, 20, Map.of()))),
                    new NewBootResourceSet(jammy.id(), "20250709", "stable", List.of(
                            new NewBootResourceFile("boot-kernel", "boot-kernel", a, 10, Map.of())))));
            assertEquals(List.of(noble.id(), jammy.id()), made.stream().map(BootResourceSet::resourceId).toList());
            assertEquals(2, catalog.files(made.get(0).id()).size());
            assertEquals(catalog.files(made.get(0).id()).stream().filter(f -> f.sha256().equals(a)).findFirst()
                    .orElseThrow().filenameOnDisk(), catalog.files(made.get(1).id()).get(0).filenameOnDisk());

            // the second set cannot be added (two files named alike): the first is not there either
            assertThrows(RuntimeException.class, () -> catalog.createSetsWithFiles(List.of(
                    new NewBootResourceSet(noble.id(), "20250710", "stable", List.of(
                            new NewBootResourceFile("boot-kernel", "boot-kernel", b, 20, Map.of()))),
                    new NewBootResourceSet(jammy.id(), "20250710", "stable", List.of(
                            new NewBootResourceFile("squashfs", "squashfs", a, 10, Map.of()),
                            new NewBootResourceFile("squashfs", "squashfs", b, 20, Map.of()))))));
            assertEquals(List.of("20250709"), catalog.sets(noble.id()).stream().map(BootResourceSet::version).toList());
            assertEquals(List.of("20250709"), catalog.sets(jammy.id()).stream().map(BootResourceSet::version).toList());
            catalog.deleteResource(noble.id());
            catalog.deleteResource(jammy.id());
        } finally {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aShortNameGrowsOnlyForFilesSharingItsPrefix(String kind) throws Exception {
        DatabaseService db = open(kind);
        try {
            CatalogService catalog = new Platform(dir, 0, db).catalog;
            String run = Long.toString(System.nanoTime(), 36);
            BootResource r = catalog.findOrCreate(synced("ubuntu/noble", "amd64/ga-24.04-" + run));
            String first = Images.sha256(("first " + run).getBytes(StandardCharsets.UTF_8));
            catalog.createSetWithFiles(r.id(), "20250709", "stable", List.of(
                    new NewBootResourceFile("boot-kernel", "boot-kernel", first, 10, Map.of())));
            String shortFirst = catalog.files(catalog.sets(r.id()).get(0).id()).get(0).filenameOnDisk();
            assertEquals(first.substring(0, 7), shortFirst);
            // the first 10 characters in common: an 11-character name; only the first 6: the shortest name
            String twin = first.substring(0, 10) + other(first.charAt(10)) + "0".repeat(53);
            String neighbour = first.substring(0, 6) + other(first.charAt(6)) + "0".repeat(57);
            BootResourceSet second = catalog.createSetWithFiles(r.id(), "20250710", "stable", List.of(
                    new NewBootResourceFile("boot-kernel", "boot-kernel", twin, 10, Map.of()),
                    new NewBootResourceFile("boot-initrd", "boot-initrd", neighbour, 10, Map.of())));
            Map<String, String> names = new java.util.HashMap<>();
            catalog.files(second.id()).forEach(f -> names.put(f.sha256(), f.filenameOnDisk()));
            assertEquals(twin.substring(0, 11), names.get(twin));
            assertEquals(neighbour.substring(0, 7), names.get(neighbour));
            // a file added on its own (an upload's path), its first 9 characters those of the other two
            String third = first.substring(0, 9) + other(first.charAt(9)) + "0".repeat(54);
            assertEquals(third.substring(0, 10), catalog.addFile(second.id(), "squashfs", "squashfs", third, 10,
                    Map.of()).filenameOnDisk());
            catalog.deleteResource(r.id());
        } finally {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void manyResourcesAreFoundOrCreatedInOneCall(String kind) throws Exception {
        DatabaseService db = open(kind);
        try {
            CatalogService catalog = new Platform(dir, 0, db).catalog;
            String run = Long.toString(System.nanoTime(), 36);
            NewBootResource noble = synced("ubuntu/noble", "amd64/ga-24.04-" + run);
            NewBootResource jammy = synced("ubuntu/jammy", "amd64/ga-22.04-" + run);
            NewBootResource focal = synced("ubuntu/focal", "amd64/ga-20.04-" + run);
            BootResource existing = catalog.findOrCreate(noble);
            assertEquals(0, catalog.resources(java.util.Optional.of(ResourceType.SYNCED)).stream()
                    .filter(r -> r.architecture().equals(jammy.architecture())).count());

            // one already there, two new ones, one asked for twice: in the order asked, the twice-asked one once
            List<BootResource> got = catalog.findOrCreateAll(List.of(noble, jammy, focal, jammy));
            assertEquals(List.of("ubuntu/noble", "ubuntu/jammy", "ubuntu/focal", "ubuntu/jammy"),
                    got.stream().map(BootResource::name).toList());
            assertEquals(existing.id(), got.get(0).id());
            assertEquals(got.get(1).id(), got.get(3).id());
            assertNotEquals(got.get(1).id(), got.get(2).id());
            // listed (the read path's cached lists are dropped by the write) and found again, not made twice
            List<Long> listed = catalog.resources(java.util.Optional.of(ResourceType.SYNCED)).stream()
                    .filter(r -> r.architecture().endsWith("-" + run)).map(BootResource::id).sorted().toList();
            assertEquals(got.stream().map(BootResource::id).distinct().sorted().toList(), listed);
            assertEquals(got, catalog.findOrCreateAll(List.of(noble, jammy, focal, jammy)));
            // an uploaded resource of the same name and architecture is another resource: never taken for a synced one
            BootResource uploaded = catalog.findOrCreate(new NewBootResource(ResourceType.UPLOADED, noble.name(),
                    noble.architecture(), "", "", "", "", false, Map.of()));
            List<BootResource> again = catalog.findOrCreateAll(List.of(noble, jammy));
            assertEquals(List.of(existing.id(), got.get(1).id()), again.stream().map(BootResource::id).toList());
            assertTrue(again.stream().allMatch(r -> r.type() == ResourceType.SYNCED));
            catalog.deleteResource(uploaded.id());
            listed.forEach(catalog::deleteResource);
        } finally {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSetsOfManyResourcesAreReadAtOnce(String kind) throws Exception {
        DatabaseService db = open(kind);
        try {
            CatalogService catalog = new Platform(dir, 0, db).catalog;
            String run = Long.toString(System.nanoTime(), 36);
            // more resources than one read takes, so the reads are split
            List<NewBootResource> wanted = new java.util.ArrayList<>();
            for (int i = 0; i < CatalogService.IDS_PER_READ + 5; i++) {
                wanted.add(synced("ubuntu/noble", "amd64/sub" + i + "-" + run));
            }
            List<Long> ids = catalog.findOrCreateAll(wanted).stream().map(BootResource::id).toList();
            String a = Images.sha256(("a " + run).getBytes(StandardCharsets.UTF_8));
            long first = ids.get(0);
            long last = ids.get(ids.size() - 1);
            List<NewBootResourceFile> kernel = List.of(new NewBootResourceFile("boot-kernel", "boot-kernel", a, 10,
                    Map.of()));
            catalog.createSetWithFiles(first, "20250709", "stable", kernel);
            catalog.createSetWithFiles(first, "20250710", "stable", kernel);
            catalog.createSetWithFiles(last, "20250711", "candidate", kernel);
            long unknown = ids.stream().mapToLong(Long::longValue).max().orElseThrow() + 1_000_000;

            List<Long> asked = new java.util.ArrayList<>(ids);
            asked.add(unknown);
            Map<Long, List<BootResourceSet>> sets = catalog.setsOf(asked);
            assertEquals(asked.size(), sets.size());
            // each as sets(id) answers it, oldest first; none for a resource without sets or an unknown one
            for (long id : asked) {
                assertEquals(catalog.sets(id), sets.get(id), "resource " + id);
            }
            assertEquals(List.of("20250709", "20250710"), sets.get(first).stream().map(BootResourceSet::version)
                    .toList());
            assertEquals(List.of("20250711"), sets.get(last).stream().map(BootResourceSet::version).toList());
            assertEquals(List.of(), sets.get(unknown));
            assertEquals(Map.of(), catalog.setsOf(List.of()));
            ids.forEach(catalog::deleteResource);
        } finally {
            db.close();
        }
    }

    /** Another lower-case hex digit than {@code c}. */
    private static char other(char c) {
        return c == '0' ? '1' : '0';
    }

    private static NewBootResource synced(String name, String architecture) {
        return new NewBootResource(ResourceType.SYNCED, name, architecture, "", "", "", "generic", false,
                Map.of("subarches", "generic"));
    }
}
