package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Debian's cloud-init reads the metadata service as a booting machine does: its MAAS datasource's own command line
 * ({@code python3 -m cloudinit.sources.DataSourceMAAS --config <the served preseed> check-seed}) reads instance-id,
 * local-hostname, vendor-data and curtin's user-data with the node token from the preseed; the same with a wrong
 * token secret fails with 401; cloud-init's own WebHookHandler posts an event the service records.
 */
class CloudInitPeerTest {

    @TempDir
    Path dir;

    MachinesPlatform p;
    String id;
    Path preseed;

    @BeforeEach
    void deploy() throws Exception {
        p = new MachinesPlatform(dir);
        p.uploadCustom("golden", "ubuntu/jammy", "root-tgz");
        id = p.readyMachine("ci1", "52:54:00:aa:bb:01");
        p.apiJson("POST", "machines/" + id + "/?op=deploy", p.alice, "distro_series", "custom/golden", "user_data",
                Base64.getEncoder().encodeToString("#cloud-config\n{}\n".getBytes(StandardCharsets.UTF_8)));
        String body = p.send(HttpRequest.newBuilder(URI.create(p.base() + "/MAAS/metadata/latest/by-id/" + id
                + "/?op=get_preseed")).GET()).body();
        preseed = Files.writeString(dir.resolve("preseed.cfg"), body);
    }

    @AfterEach
    void stop() throws Exception {
        p.close();
    }

    record Run(int exit, String out) {
    }

    Run python(String... args) throws Exception {
        // Debian's cloud-init is a module of the system Python, which another python3 on PATH may shadow
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> command = new ArrayList<>(List.of(python));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NO_PROXY", "127.0.0.1");
        pb.environment().remove("http_proxy");
        pb.environment().remove("HTTP_PROXY");
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 finished");
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void cloudInitsMaasDatasourceReadsTheSeedWithTheNodeToken() throws Exception {
        Run run = python("-m", "cloudinit.sources.DataSourceMAAS", "--config", preseed.toString(), "check-seed");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("'instance-id': '" + id + "'"), run.out());
        assertTrue(run.out().contains("'local-hostname': 'ci1.maas'"), run.out());
        assertTrue(run.out().contains("=== user-data ===\nsources:"), "curtin's configuration: " + run.out());
        assertTrue(run.out().contains("manage_etc_hosts"), "vendor-data loaded as YAML: " + run.out());

        // negative control: the same seed with a wrong token secret
        Path wrong = Files.writeString(dir.resolve("wrong.cfg"), Files.readString(preseed)
                .replaceAll("token_secret: (\\S+)", "token_secret: wrong$1"));
        Run refused = python("-m", "cloudinit.sources.DataSourceMAAS", "--config", wrong.toString(), "check-seed");
        assertNotEquals(0, refused.exit(), refused.out());
        assertTrue(refused.out().contains("401"), refused.out());
    }

    @Test
    void cloudInitsWebhookReporterPostsAnEventTheServiceRecords() throws Exception {
        String script = """
                import sys, yaml
                from cloudinit.reporting import handlers, events
                cfg = yaml.safe_load(open(sys.argv[1]))
                ds = cfg['datasource']['MAAS']
                hook = cfg['reporting']['maas']
                h = handlers.WebHookHandler(endpoint=hook['endpoint'], consumer_key=ds['consumer_key'],
                    token_key=ds['token_key'], token_secret=ds['token_secret'], consumer_secret='')
                h.publish_event(events.FinishReportingEvent('modules-final', 'running modules for final',
                    events.status.SUCCESS))
                h.flush()
                print('posted')
                """;
        Path file = Files.writeString(dir.resolve("hook.py"), script);
        Run run = python(file.toString(), preseed.toString());
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("posted"), run.out());
        JsonNode events = p.apiJson("GET", "events/?op=query&id=" + id, p.alice);
        boolean found = false;
        for (JsonNode e : events.get("events")) {
            found |= e.get("type").asText().equals("Installation")
                    && e.get("description").asText().equals("cloudinit finish modules-final: running modules for "
                            + "final (SUCCESS)");
        }
        assertTrue(found, events.toString());
        assertTrue(!run.out().contains("Failed posting event"), run.out());
    }
}
