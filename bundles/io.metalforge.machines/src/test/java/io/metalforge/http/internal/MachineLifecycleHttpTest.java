package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;

import io.metalforge.api.boot.BootIntent;
import io.metalforge.api.boot.BootTarget;
import io.metalforge.api.http.ApiCredentials;

/**
 * A whole deployment without a VM: the API allocates and deploys a machine, then the test plays the installing
 * machine over HTTP exactly as cloud-init and curtin do (anonymous get_preseed, node-token meta-data and curtin
 * user-data, webhook events with a log file, netboot_off, the installed system's user-data), and the API, the boot
 * targets, events, last_deployed and the metrics follow. The same with a FAIL event ends in Failed deployment.
 */
class MachineLifecycleHttpTest {

    static final String MAC = "52:54:00:12:34:56";

    @TempDir
    Path dir;

    MachinesPlatform p;

    /** The platform over the test's database (a restart opens it again). */
    MachinesPlatform open(Path folder) throws Exception {
        return new MachinesPlatform(folder);
    }

    @BeforeEach
    void start() throws Exception {
        p = open(dir);
        p.uploadCustom("golden", "ubuntu/jammy", "root-tgz");
    }

    @AfterEach
    void stop() throws Exception {
        if (p != null) { // null when the PostgreSQL variant is skipped
            p.close();
        }
    }

    /** The node token the preseed hands out, read the way cloud-init reads it. */
    @SuppressWarnings("unchecked")
    static ApiCredentials credentials(String preseed) {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(preseed);
        Map<String, Object> maas = (Map<String, Object>) ((Map<String, Object>) doc.get("datasource")).get("MAAS");
        return new ApiCredentials((String) maas.get("consumer_key"), (String) maas.get("token_key"),
                (String) maas.get("token_secret"));
    }

    HttpResponse<String> metadata(String method, String relative, String authorization, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.base() + "/MAAS/metadata/" + relative));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", body.startsWith("{") ? "application/json"
                    : "application/x-www-form-urlencoded");
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return p.send(b);
    }

    static String event(String type, String name, String result, String description, String file) {
        String files = file == null ? "" : ", \"files\": [{\"path\": \"/tmp/install.log\", \"encoding\": \"base64\", "
                + "\"content\": \"" + Base64.getEncoder().encodeToString(file.getBytes(StandardCharsets.UTF_8)) + "\"}]";
        return "{\"event_type\": \"" + type + "\", \"origin\": \"curtin\", \"name\": \"" + name + "\", "
                + "\"description\": \"" + description + "\", \"timestamp\": 1700000000.5"
                + (result == null ? "" : ", \"result\": \"" + result + "\"") + files + "}";
    }

    @Test
    void aDeploymentPlayedOverHttpEndsDeployedWithEventsLastDeployedAndMetrics() throws Exception {
        String id = p.readyMachine("web1", MAC);
        assertEquals(BootIntent.POWEROFF, p.machines.forMac(MAC).orElseThrow().intent());

        JsonNode allocated = p.apiJson("POST", "machines/?op=allocate", p.alice, "name", "web1");
        assertEquals("Allocated", allocated.get("status_name").asText());
        assertEquals(10, allocated.get("status").asInt());
        assertEquals("alice", allocated.get("owner").asText());
        String userData = "#cloud-config\nruncmd: [touch, /etc/deployed-by-metalforge]\n";
        JsonNode deploying = p.apiJson("POST", "machines/" + id + "/?op=deploy", p.alice, "distro_series",
                "custom/golden", "user_data", Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
        assertEquals("Deploying", deploying.get("status_name").asText());
        assertEquals(9, deploying.get("status").asInt());
        assertEquals("custom", deploying.get("osystem").asText());
        assertEquals("golden", deploying.get("distro_series").asText());

        // the boot servers' view: install, from the custom image's base (Ubuntu jammy), for the MAC in any spelling
        BootTarget target = p.machines.forMac("52-54-00-12-34-56".toUpperCase()).orElseThrow();
        assertEquals(BootIntent.XINSTALL, target.intent());
        assertEquals(id, target.systemId());
        assertEquals("ubuntu", target.ephemeralOs());
        assertEquals("jammy", target.ephemeralRelease());
        assertTrue(p.machines.forMac("52:54:00:00:00:01").isEmpty(), "unknown MACs get nothing");

        // 1. the ephemeral cloud-init reads the preseed named by cloud-config-url: anonymous, // tolerated
        HttpResponse<String> preseed = metadata("GET", "/latest//by-id/" + id + "/?op=get_preseed", null, null);
        assertEquals(200, preseed.statusCode(), preseed.body());
        assertTrue(preseed.body().startsWith("#cloud-config\n"), preseed.body());
        assertTrue(preseed.headers().firstValue("Date").isPresent(), "cloud-init corrects its clock from Date");
        assertTrue(preseed.body().contains("metadata_url: " + p.base() + "/MAAS/metadata/curtin"), preseed.body());
        assertTrue(preseed.body().contains("/MAAS/metadata/status/" + id), "reporting webhook: " + preseed.body());
        ApiCredentials node = credentials(preseed.body());

        // 2. the datasource reads meta-data and curtin's user-data with the node token, percent-encoded or not
        assertEquals(id, metadata("GET", "curtin/2012-03-01/meta-data/instance-id", p.sign(node, true), null).body());
        assertEquals("web1.maas", metadata("GET", "curtin/2012-03-01/meta-data/local-hostname",
                p.sign(node, false), null).body());
        assertEquals(401, metadata("GET", "curtin/2012-03-01/meta-data/instance-id",
                p.sign(node.consumerKey(), node.tokenKey(), "wrong" + node.secret(), true), null).statusCode());
        assertEquals(401, metadata("GET", "curtin/2012-03-01/meta-data/instance-id", null, null).statusCode());
        assertEquals(401, metadata("GET", "curtin/2012-03-01/meta-data/instance-id", p.sign(p.alice), null)
                .statusCode(), "a user's key is not a node token");
        assertEquals(403, apiWithNodeToken(node), "node tokens cannot use the API");
        HttpResponse<String> curtin = metadata("GET", "curtin/2012-03-01/user-data", p.sign(node, true), null);
        assertEquals(200, curtin.statusCode(), curtin.body());
        Map<String, Object> config = new Yaml(new SafeConstructor(new LoaderOptions())).load(curtin.body());
        String source = String.valueOf(((Map<?, ?>) config.get("sources")).get("00_image"));
        assertTrue(source.matches("http://127\\.0\\.0\\.1:5248/images/[0-9a-f]{7,}/custom/amd64/generic/golden/"
                + "uploaded/root-tgz"), "the image comes from the boot server: " + source);
        assertTrue(curtin.body().contains("storage:"), curtin.body());
        assertTrue(curtin.body().contains("op=netboot_off"), "late command turns netboot off: " + curtin.body());

        // 3. curtin reports progress, with its log
        assertEquals(204, metadata("POST", "status/" + id, p.sign(node, true),
                event("start", "cmd-install", null, "curtin command install", null)).statusCode());
        assertEquals("curtin command install", p.apiJson("GET", "machines/" + id + "/", p.alice)
                .get("status_message").asText());
        assertEquals(204, metadata("POST", "status/" + id, p.sign(node, true),
                event("finish", "cmd-install", "SUCCESS", "curtin command install", "installed fine\n"))
                .statusCode());
        assertEquals(List.of("/tmp/install.log"), p.machines.installerFiles(id));

        // 4. the late command: wget --post-data op=netboot_off, anonymous; the next boot is local
        assertEquals(200, metadata("POST", "latest/by-id/" + id + "/", null, "op=netboot_off").statusCode());
        assertEquals(BootIntent.LOCAL, p.machines.forMac(MAC).orElseThrow().intent());
        assertEquals("Deploying", p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText());

        // 5. the installed system reads its user-data: end of deployment
        HttpResponse<String> installed = metadata("GET", "2012-03-01/user-data", p.sign(node, false), null);
        assertEquals(200, installed.statusCode());
        assertEquals(userData, installed.body());
        JsonNode deployed = p.apiJson("GET", "machines/" + id + "/", p.alice);
        assertEquals("Deployed", deployed.get("status_name").asText());
        assertEquals(6, deployed.get("status").asInt());
        assertEquals(BootIntent.LOCAL, p.machines.forMac(MAC).orElseThrow().intent());
        assertNotNull(p.catalog.resources(java.util.Optional.empty()).stream()
                .filter(r -> r.name().equals("golden")).findFirst().orElseThrow().lastDeployed(), "last_deployed");

        // events follow the deployment, newest first, as the maas CLI's events query prints them
        JsonNode events = p.apiJson("GET", "events/?op=query&id=" + id + "&level=DEBUG", p.alice);
        List<String> types = new java.util.ArrayList<>();
        events.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertEquals("Image deployed", types.get(0));
        assertTrue(types.containsAll(List.of("Deployed", "Netboot off", "Installation", "Deploying", "Allocated",
                "Ready", "New")), types.toString());
        assertEquals(id, events.get("events").get(0).get("node").asText());
        assertTrue(events.get("events").get(0).get("created").asText().matches(
                "[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2}\\. \\d{4} \\d\\d:\\d\\d:\\d\\d"));

        // metrics: the custom image counted, one successful deployment, promtool accepts the text
        String metrics = metrics();
        assertTrue(metrics.contains("maas_custom_static_images_uploaded{base_image=\"ubuntu/jammy\","
                + "file_type=\"root-tgz\"} 1"), metrics);
        assertTrue(metrics.contains("maas_custom_static_images_deployed 1"), metrics);
        assertTrue(metrics.contains("metalforge_deployments_total{result=\"deployed\"} 1"), metrics);
        assertTrue(metrics.contains("metalforge_machines{status=\"Deployed\"} 1"), metrics);
        promtool(metrics);

        // release: back to Ready, the token revoked
        JsonNode released = p.apiJson("POST", "machines/" + id + "/?op=release", p.alice);
        assertTrue(List.of("Releasing", "Ready").contains(released.get("status_name").asText()));
        awaitStatus(id, "Ready");
        JsonNode ready = p.apiJson("GET", "machines/" + id + "/", p.alice);
        assertTrue(ready.get("owner").isNull());
        assertEquals(401, metadata("GET", "2012-03-01/meta-data/instance-id", p.sign(node, true), null).statusCode());
        assertEquals(BootIntent.POWEROFF, p.machines.forMac(MAC).orElseThrow().intent());
    }

    private int apiWithNodeToken(ApiCredentials node) throws Exception {
        return p.send(HttpRequest.newBuilder(URI.create(p.base() + "/MAAS/api/2.0/machines/"))
                .header("Authorization", p.sign(node, true)).GET()).statusCode();
    }

    @Test
    void aFailedInstallEndsInFailedDeploymentWithItsReasonAndLog() throws Exception {
        String id = p.readyMachine("db1", MAC);
        p.apiJson("POST", "machines/" + id + "/?op=deploy", p.alice, "distro_series", "custom/golden");
        ApiCredentials node = credentials(metadata("GET", "latest/by-id/" + id + "/?op=get_preseed", null, null)
                .body());
        // a failed sub-stage is only an event; the failed top-level stage fails the deployment
        metadata("POST", "status/" + id, p.sign(node, true), event("finish", "cmd-install/stage-partitioning", "FAIL",
                "partitioning failed", null));
        assertEquals("Deploying", p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText());
        assertEquals(204, metadata("POST", "status/" + id, p.sign(node, true), event("finish", "cmd-install", "FAIL",
                "curtin command install failed: no disk found", "Traceback: no disk\n")).statusCode());
        JsonNode failed = p.apiJson("GET", "machines/" + id + "/", p.alice);
        assertEquals("Failed deployment", failed.get("status_name").asText());
        assertEquals(11, failed.get("status").asInt());
        assertEquals("curtin command install failed: no disk found", failed.get("status_message").asText());
        assertEquals(List.of("/tmp/install.log"), p.machines.installerFiles(id));
        assertTrue(metrics().contains("metalforge_deployments_total{result=\"failed\"} 1"));
        JsonNode errors = p.apiJson("GET", "events/?op=query&id=" + id + "&level=ERROR", p.alice);
        assertTrue(errors.get("count").asInt() >= 2, errors.toString());

        // bad events are refused clearly and change nothing
        assertEquals(400, metadata("POST", "status/" + id, p.sign(node, true), "{\"event_type\": \"finish\"}")
                .statusCode());
        assertEquals(400, metadata("POST", "status/" + id, p.sign(node, true), "{not json").statusCode());
        assertEquals(403, metadata("POST", "status/other1", p.sign(node, true),
                event("start", "x", null, "y", null)).statusCode());
    }

    @Test
    void apiErrorsAreMaasShaped() throws Exception {
        assertEquals(404, p.api("PUT", "machines/nope99/", p.admin, "hostname", "x").statusCode());
        assertEquals(404, p.api("GET", "machines/nope99/", p.admin).statusCode());
        assertEquals(403, p.api("POST", "machines/", p.alice, "architecture", "amd64", "mac_addresses", MAC)
                .statusCode());
        HttpResponse<String> noMac = p.api("POST", "machines/", p.admin, "architecture", "amd64");
        assertEquals(400, noMac.statusCode());
        assertEquals("{\"mac_addresses\":[\"This field is required.\"]}", noMac.body());
        String id = p.readyMachine("app1", MAC);
        HttpResponse<String> sameMac = p.api("POST", "machines/", p.admin, "architecture", "amd64", "mac_addresses",
                MAC.toUpperCase());
        assertEquals(400, sameMac.statusCode());
        assertTrue(sameMac.body().contains("already in use"), sameMac.body());
        HttpResponse<String> noImage = p.api("POST", "machines/" + id + "/?op=deploy", p.alice, "distro_series",
                "custom/missing");
        assertEquals(400, noImage.statusCode());
        assertTrue(noImage.body().startsWith("No usable image custom/missing for architecture amd64"),
                noImage.body());
        assertEquals("Ready", p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText(),
                "a refused deploy changes nothing");
        HttpResponse<String> noOs = p.api("POST", "machines/" + id + "/?op=deploy", p.alice, "distro_series",
                "rocky/9");
        assertEquals(503, noOs.statusCode());
        assertTrue(noOs.body().startsWith("OS handler 'rocky' is not installed; installed: "), noOs.body());
        HttpResponse<String> none = p.api("POST", "machines/?op=allocate", p.alice, "name", "nonesuch");
        assertEquals(409, none.statusCode());
        // the power handlers live on the machine resource now
        assertEquals("{\"state\":\"unknown\"}", p.api("GET", "machines/" + id + "/?op=query_power_state", p.alice)
                .body());
        assertEquals("manual", p.apiJson("GET", "machines/" + id + "/", p.alice).get("power_type").asText());
        HttpResponse<String> badPower = p.api("PUT", "machines/" + id + "/", p.admin, "power_type", "ghost");
        assertEquals(400, badPower.statusCode());
        assertTrue(badPower.body().contains("power driver 'ghost' is not installed"), badPower.body());
        // filters
        assertEquals(1, p.apiJson("GET", "machines/?hostname=app1", p.alice).size());
        assertEquals(1, p.apiJson("GET", "machines/?mac_address=" + MAC.replace(':', '-'), p.alice).size());
        assertEquals(0, p.apiJson("GET", "machines/?status=deployed", p.alice).size());
        assertEquals(1, p.apiJson("GET", "machines/?status=ready&id=" + id, p.alice).size());
        assertEquals(204, p.api("DELETE", "machines/" + id + "/", p.admin).statusCode());
        assertEquals(404, p.api("GET", "machines/" + id + "/", p.admin).statusCode());
    }

    @Test
    void badPowerSettingsOnUpdateAreAMaasFieldErrorAndNothingIsStored() throws Exception {
        String id = p.readyMachine("bmc1", MAC);
        String before = p.api("GET", "machines/" + id + "/?op=power_parameters", p.admin).body();
        String password = "s3cret-s3cret-s3cret-23";
        assertEquals(23, password.length());
        HttpResponse<String> tooLong = p.api("PUT", "machines/" + id + "/", p.admin, "power_type", "ipmi",
                "power_parameters_power_address", "127.0.0.1", "power_parameters_power_user", "admin",
                "power_parameters_power_pass", password);
        assertEquals(400, tooLong.statusCode(), tooLong.body());
        assertTrue(tooLong.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode errors = MachinesPlatform.JSON.readTree(tooLong.body());
        assertEquals(List.of("power_parameters_power_pass"), iterable(errors.fieldNames()));
        assertTrue(errors.get("power_parameters_power_pass").isArray(), tooLong.body());
        assertTrue(errors.get("power_parameters_power_pass").get(0).asText().contains("longer than 20 characters"),
                tooLong.body());
        assertFalse(tooLong.body().contains(password), "the refused secret is not echoed");
        // nothing stored: the driver, the settings and the machine are as before, also after a restart
        assertEquals("manual", p.apiJson("GET", "machines/" + id + "/", p.admin).get("power_type").asText());
        assertEquals(before, p.api("GET", "machines/" + id + "/?op=power_parameters", p.admin).body());
        p.close();
        p = open(dir);
        assertEquals("manual", p.apiJson("GET", "machines/" + id + "/", p.admin).get("power_type").asText());
        assertEquals(before, p.api("GET", "machines/" + id + "/?op=power_parameters", p.admin).body());
        assertEquals("Ready", p.apiJson("GET", "machines/" + id + "/", p.admin).get("status_name").asText());
    }

    static List<String> iterable(java.util.Iterator<String> names) {
        List<String> all = new java.util.ArrayList<>();
        names.forEachRemaining(all::add);
        return all;
    }

    @Test
    void aDeployingMachineStaysDeployingAcrossARestartAndItsEventsStillLand() throws Exception {
        String id = p.readyMachine("web2", MAC);
        p.apiJson("POST", "machines/" + id + "/?op=deploy", p.alice, "distro_series", "custom/golden");
        ApiCredentials node = credentials(metadata("GET", "latest/by-id/" + id + "/?op=get_preseed", null, null)
                .body());
        p.close();
        p = open(dir);
        assertEquals("Deploying", p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText());
        assertEquals(BootIntent.XINSTALL, p.machines.forMac(MAC).orElseThrow().intent());
        assertEquals(204, metadata("POST", "status/" + id, p.sign(node, true),
                event("finish", "cmd-install", "SUCCESS", "done", null)).statusCode());
        assertEquals(200, metadata("GET", "latest/user-data", p.sign(node, true), null).statusCode());
        assertEquals("Deployed", p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText());
    }

    @Test
    void theShellListsShowsDeploysAndReleases() throws Exception {
        String id = p.readyMachine("sh1", MAC);
        io.metalforge.machines.internal.MachinesCommand shell = new io.metalforge.machines.internal.MachinesCommand(
                p.machines);
        assertTrue(shell.machines().contains(id + "   sh1"), shell.machines());
        String deploying = shell.machines("deploy", id, "custom/golden");
        assertTrue(deploying.contains("status: Deploying (9)"), deploying);
        assertTrue(deploying.contains("image: custom/golden"), deploying);
        assertTrue(deploying.contains("last event: Deploying: From 'Ready' to 'Deploying' (custom/golden)"),
                deploying);
        assertTrue(shell.machines("events", id).contains("Deploying"), shell.machines("events", id));
        assertTrue(shell.machines("release", id).contains("status: "), "release answers with the machine");
        awaitStatus(id, "Ready");
        assertEquals("error: No Machine matches the given query.\n", shell.machines("show", "nope99"));
        assertTrue(shell.machines("frobnicate").startsWith("usage: "));
    }

    String metrics() throws Exception {
        HttpResponse<String> r = p.send(HttpRequest.newBuilder(URI.create(p.base() + "/MAAS/metrics")).GET());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    /** Debian's prometheus package's promtool checks the exposition (it is in .ci/run's package list). */
    void promtool(String metrics) throws Exception {
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, metrics);
        Process check = new ProcessBuilder("sh", "-c", "promtool check metrics < " + file).redirectErrorStream(true)
                .start();
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.exitValue(), out);
        assertFalse(out.contains("error"), out);
    }

    void awaitStatus(String id, String status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String now = "";
        while (System.nanoTime() < end) {
            now = p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText();
            if (now.equals(status)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(id + " stayed " + now + ", not " + status);
    }
}
