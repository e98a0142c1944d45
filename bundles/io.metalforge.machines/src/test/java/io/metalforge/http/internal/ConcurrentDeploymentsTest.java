package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.metalforge.api.http.ApiCredentials;

/**
 * Many machines deployed at once through the API and played at once over HTTP as their installers would (preseed,
 * curtin user-data, three events each, netboot_off, the installed system's user-data): every one ends Deployed,
 * with every event it posted and no other machine's, and the metrics count them all. Bounded: 200 machines
 * (-Dmetalforge.test.machines=N for another count), 16 client threads, a time limit per step.
 */
class ConcurrentDeploymentsTest {

    static final int MACHINES = Integer.getInteger("metalforge.test.machines", 200);
    static final int THREADS = 16;

    @TempDir
    Path dir;

    @Test
    void manyMachinesDeployAtOnceWithoutALostEventOrAWrongState() throws Exception {
        try (MachinesPlatform p = new MachinesPlatform(dir)) {
            p.uploadCustom("golden", "ubuntu/jammy", "root-tgz");
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<String> ids = all(pool, MACHINES, i -> p.readyMachine(String.format(Locale.ROOT, "n%04d", i),
                        String.format(Locale.ROOT, "52:54:00:00:%02x:%02x", i / 256, i % 256)));
                long start = System.nanoTime();
                all(pool, MACHINES, i -> {
                    JsonNode m = p.apiJson("POST", "machines/" + ids.get(i) + "/?op=deploy", p.alice,
                            "distro_series", "custom/golden");
                    assertEquals("Deploying", m.get("status_name").asText());
                    return null;
                });
                all(pool, MACHINES, i -> {
                    play(p, ids.get(i));
                    return null;
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%d deployments in %.1f s: %.0f per minute%n", MACHINES, seconds,
                        MACHINES * 60 / seconds);

                JsonNode all = p.apiJson("GET", "machines/", p.alice);
                assertEquals(MACHINES, all.size());
                for (JsonNode m : all) {
                    assertEquals("Deployed", m.get("status_name").asText(), m.toString());
                }
                for (String id : ids) {
                    JsonNode events = p.apiJson("GET", "events/?op=query&level=DEBUG&id=" + id, p.alice)
                            .get("events");
                    int installer = 0;
                    for (JsonNode e : events) {
                        assertEquals(id, e.get("node").asText());
                        if (e.get("type").asText().equals("Installation")) {
                            installer++;
                            assertTrue(e.get("description").asText().contains(" of " + id), e.toString());
                        }
                    }
                    assertEquals(3, installer, "every posted event of " + id + " is there once");
                }
                String metrics = p.send(HttpRequest.newBuilder(URI.create(p.base() + "/MAAS/metrics")).GET())
                        .body();
                assertTrue(metrics.contains("metalforge_deployments_total{result=\"deployed\"} " + MACHINES),
                        metrics);
                assertTrue(metrics.contains("maas_custom_static_images_deployed " + MACHINES), metrics);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    interface Step<T> {
        T run(int i) throws Exception;
    }

    static <T> List<T> all(ExecutorService pool, int count, Step<T> step) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit((Callable<T>) () -> step.run(n)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(120, TimeUnit.SECONDS));
        }
        return out;
    }

    /** One installing machine, as cloud-init and curtin talk to the metadata service. */
    static void play(MachinesPlatform p, String id) throws Exception {
        String base = p.base() + "/MAAS/metadata/";
        HttpResponse<String> preseed = p.send(HttpRequest.newBuilder(URI.create(base + "latest/by-id/" + id
                + "/?op=get_preseed")).GET());
        assertEquals(200, preseed.statusCode(), preseed.body());
        ApiCredentials node = MachineLifecycleHttpTest.credentials(preseed.body());
        assertEquals(200, p.send(HttpRequest.newBuilder(URI.create(base + "curtin/2012-03-01/user-data"))
                .header("Authorization", p.sign(node, true)).GET()).statusCode());
        for (String[] e : new String[][] { { "start", "cmd-install", "" }, { "progress", "cmd-install/stage", "" },
                { "finish", "cmd-install", "SUCCESS" } }) {
            String json = "{\"event_type\": \"" + e[0] + "\", \"origin\": \"curtin\", \"name\": \"" + e[1]
                    + "\", \"description\": \"" + e[0] + " of " + id + "\"" + (e[2].isEmpty() ? ""
                            : ", \"result\": \"" + e[2] + "\"") + "}";
            HttpResponse<String> posted = p.send(HttpRequest.newBuilder(URI.create(base + "status/" + id))
                    .header("Authorization", p.sign(node, false)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
            assertEquals(204, posted.statusCode(), posted.body());
        }
        assertEquals(200, p.send(HttpRequest.newBuilder(URI.create(base + "latest/by-id/" + id + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("op=netboot_off"))).statusCode());
        assertEquals(200, p.send(HttpRequest.newBuilder(URI.create(base + "2012-03-01/user-data"))
                .header("Authorization", p.sign(node, true)).GET()).statusCode());
    }
}
