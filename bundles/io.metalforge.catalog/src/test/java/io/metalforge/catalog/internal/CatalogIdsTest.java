package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.TestApiRequest;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;

/**
 * Boot resource, set and file ids are never handed out twice (MAAS takes them from sequences): create, delete,
 * create through the boot-resources handlers, on the embedded database and on PostgreSQL (when
 * METALFORGE_TEST_PG_URL is set, see .ci/start-postgres.sh), through the platform's own Database service.
 */
class CatalogIdsTest {

    @TempDir
    Path dir;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    private DatabaseService open(String kind) {
        return TestDatabases.byKind(kind, dir.resolve("data"));
    }

    /** Uploads {@code image} in the create request; returns the ids of the resource, its set and its file. */
    @SuppressWarnings("unchecked")
    private static long[] upload(BootResourcesHandler resources, CatalogService catalog, String name, byte[] image)
            throws Exception {
        ApiResponse created = resources.handle(BootResourcesHandler.CREATE, TestApiRequest.of("POST", null, Map.of(),
                "name", name, "architecture", "amd64/generic", "base_image", "ubuntu/noble")
                .withFile("content", image));
        assertEquals(201, created.status());
        long id = ((Number) ((Map<String, Object>) created.body()).get("id")).longValue();
        BootResourceSet set = catalog.sets(id).get(0);
        BootResourceFile file = catalog.files(set.id()).get(0);
        assertTrue(file.complete());
        return new long[] { id, set.id(), file.id() };
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deletedIdsAreNotHandedOutAgain(String kind) throws Exception {
        DatabaseService db = open(kind);
        try {
            Platform platform = new Platform(dir, 0, db);
            CatalogService catalog = platform.catalog;
            BootResourcesHandler resources = platform.resources;
            BootResourceHandler resource = platform.resource;
            String run = Long.toString(System.nanoTime(), 36); // PostgreSQL is shared by test runs: unique names

            long[] first = upload(resources, catalog, "ids-" + run + "-a", Images.ubuntuTgz(true, 1000, 1));
            assertEquals(204, resource.handle(BootResourceHandler.DELETE, TestApiRequest.of("DELETE", null,
                    Map.of("id", Long.toString(first[0])))).status());
            long[] second = upload(resources, catalog, "ids-" + run + "-b", Images.ubuntuTgz(true, 1000, 2));
            for (int i = 0; i < 3; i++) {
                assertTrue(second[i] > first[i], List.of("resource", "set", "file").get(i) + " id " + second[i]
                        + " after " + first[i]);
            }
            resource.handle(BootResourceHandler.DELETE, TestApiRequest.of("DELETE", null,
                    Map.of("id", Long.toString(second[0]))));
        } finally {
            db.close();
        }
    }

    /** The list answered by GET boot-resources/ (kept in memory on the embedded database) follows every change. */
    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @MethodSource("databases")
    void theResourceListFollowsEveryChange(String kind) throws Exception {
        DatabaseService db = open(kind);
        try {
            Platform platform = new Platform(dir, 0, db);
            CatalogService catalog = platform.catalog;
            BootResourcesHandler resources = platform.resources;
            String run = Long.toString(System.nanoTime(), 36);
            java.util.function.Supplier<List<Map<String, Object>>> list = () -> {
                try {
                    return ((List<Map<String, Object>>) resources.handle(BootResourcesHandler.READ,
                            TestApiRequest.of("GET", null, Map.of())).body()).stream()
                            .filter(r -> ((String) r.get("name")).contains(run)).toList();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertEquals(List.of(), list.get());
            list.get(); // read twice: the second answer may come from memory
            long[] first = upload(resources, catalog, "list-" + run + "-a", Images.ubuntuTgz(true, 1000, 3));
            assertEquals(List.of("list-" + run + "-a"), list.get().stream().map(r -> r.get("name")).toList());
            assertEquals(null, list.get().get(0).get("last_deployed"));
            catalog.markDeployed("list-" + run + "-a", "amd64/generic", java.time.Instant.parse("2026-11-26T12:00:00Z"));
            assertEquals("2026-11-26T12:00:00Z", list.get().get(0).get("last_deployed"));
            upload(resources, catalog, "list-" + run + "-b", Images.ubuntuTgz(true, 1000, 4));
            assertEquals(2, list.get().size());
            assertTrue(catalog.deleteResource(first[0]));
            assertEquals(List.of("list-" + run + "-b"), list.get().stream().map(r -> r.get("name")).toList());
        } finally {
            db.close();
        }
    }
}
