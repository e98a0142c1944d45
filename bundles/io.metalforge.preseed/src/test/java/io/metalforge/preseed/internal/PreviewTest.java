package io.metalforge.preseed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.http.FormFile;
import io.metalforge.api.http.TestApiRequest;

/** The shell command and the API handler (called directly: the HTTP dispatcher is another bundle's). */
class PreviewTest {

    private final TestOsRegistry registry = TestOsRegistry.distribution();
    private final DeploymentComposerImpl composer = new DeploymentComposerImpl(registry, (Path) null);

    private static byte[] machineJson() throws IOException {
        try (InputStream in = PreviewTest.class.getResourceAsStream("machine.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void shellCommandPrintsTheDocuments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("machine.json");
        Files.write(file, machineJson());
        PreseedCommand cmd = new PreseedCommand(composer, registry);
        String out = cmd.preseed(file.toString(), "ubuntu/noble");
        assertTrue(out.startsWith("# ephemeral OS: ubuntu/noble\n# source: cp:///media/root-ro\n"), out);
        assertTrue(out.contains("--- # storage (curtin)\n"), out);
        assertTrue(out.contains("--- # netplan (netplan)\n"), out);
        assertTrue(out.contains("bond0.100:"), out);
        assertTrue(out.contains("routing-policy"), "the second gateway is source-routed");
        assertTrue(out.contains("path: /var/lib/postgresql"), out);
        assertFalse(out.contains("InvocationTargetException"));

        String custom = cmd.preseed(file.toString(), "custom/pg-golden", "root-dd.xz", "centos/8");
        assertTrue(custom.contains("# source: dd-xz:http://localhost:5248/images/preview/custom/amd64/generic/"
                + "pg-golden/uploaded/root-dd.xz"), custom);
        assertTrue(custom.contains("98-validate-custom-image-has-cloud-init"), custom);
        assertFalse(custom.contains("99-validate-custom-image-has-netplan"), custom);
        // the upload spelling gives the same documents; an unknown one lists both spellings of every filetype
        assertEquals(custom, cmd.preseed(file.toString(), "custom/pg-golden", "ddxz", "centos/8"));
        assertEquals(cmd.preseed(file.toString(), "custom/pg-golden", "root-tgz", "ubuntu/noble"),
                cmd.preseed(file.toString(), "custom/pg-golden", "tgz", "ubuntu/noble"));
        String zip = cmd.preseed(file.toString(), "custom/pg-golden", "zip", "centos/8");
        assertTrue(zip.startsWith("preseed: Unknown filetype zip. Valid choices: tgz (root-tgz), ")
                && zip.contains("ddxz (root-dd.xz)") && zip.endsWith("squashfs, root-image.gz."), zip);

        assertEquals("preseed: OS handler 'plan9' is not installed; installed: " + TestOsRegistry.INSTALLED,
                cmd.preseed(file.toString(), "plan9/4e"));
        assertTrue(cmd.preseed(dir.resolve("missing.json").toString(), "ubuntu/noble").startsWith("preseed: cannot read"));
        Files.writeString(file, "{\"system_id\": \"a\", \"hostname\": \"x\", \"architecture\": \"amd64\","
                + " \"colour\": \"blue\"}");
        String unknown = cmd.preseed(file.toString(), "ubuntu/noble");
        assertTrue(unknown.startsWith("preseed: machine description:") && unknown.contains("colour"), unknown);
        Files.writeString(file, "{\"hostname\": ");
        assertTrue(cmd.preseed(file.toString(), "ubuntu/noble").startsWith("preseed: machine description:"));
        Files.writeString(file, "{\"hostname\": \"x\"}");
        assertEquals("preseed: machine description: system_id is required (line 1)",
                cmd.preseed(file.toString(), "ubuntu/noble"));
        Files.write(file, new byte[Preview.MAX_MACHINE_JSON + 1]);
        assertTrue(cmd.preseed(file.toString(), "ubuntu/noble").contains("larger than"));
        assertTrue(cmd.preseed(file.toString(), "noble").startsWith("preseed:"));
        Files.write(file, machineJson());
        assertEquals("preseed: image names are at most 128 characters",
                cmd.preseed(file.toString(), "ubuntu/" + "n".repeat(200)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiHandlerAnswersJsonAndClientErrors() throws Exception {
        DeploymentPreviewHandler h = new DeploymentPreviewHandler(composer, registry);
        assertEquals("deployment-preview/", h.path());
        assertTrue(h.actions().get(0).doc().contains(":param machine:"));
        String json = new String(machineJson(), StandardCharsets.UTF_8);

        ApiResponse r = h.handle(DeploymentPreviewHandler.COMPOSE, request(Map.of("image", List.of("rhel/rhel9"),
                "machine", List.of(json)), List.of()));
        assertEquals(200, r.status());
        Map<String, Object> body = (Map<String, Object>) r.body();
        assertEquals("noble", body.get("ephemeral_release"));
        assertEquals(1, body.get("network_version"));
        List<Map<String, Object>> docs = (List<Map<String, Object>>) body.get("documents");
        assertEquals("storage", docs.get(0).get("name"));
        assertTrue(docs.stream().noneMatch(d -> d.get("name").equals("netplan")));
        assertTrue(docs.stream().anyMatch(d -> ((String) d.get("content")).contains(
                "http://maas.example:5240/MAAS/metadata/status/8kq4wd")), "server URL from the request");

        ApiResponse fromFile = h.handle(DeploymentPreviewHandler.COMPOSE, request(Map.of("image",
                List.of("ubuntu/jammy")), List.of(new File("machine", json.getBytes(StandardCharsets.UTF_8)))));
        assertEquals(2, ((Map<String, Object>) fromFile.body()).get("network_version"));

        ApiException noImage = assertThrows(ApiException.class, () -> h.handle(DeploymentPreviewHandler.COMPOSE,
                request(Map.of("machine", List.of(json)), List.of())));
        assertEquals(400, noImage.status());
        ApiException gone = assertThrows(ApiException.class, () -> h.handle(DeploymentPreviewHandler.COMPOSE,
                request(Map.of("image", List.of("rocky/rocky9"), "machine", List.of(json)), List.of())));
        assertEquals("OS handler 'rocky' is not installed; installed: " + TestOsRegistry.INSTALLED, gone.getMessage());
        ApiException tooBig = assertThrows(ApiException.class, () -> h.handle(DeploymentPreviewHandler.COMPOSE,
                request(Map.of("image", List.of("ubuntu/noble")), List.of(new File("machine",
                        new byte[Preview.MAX_MACHINE_JSON + 1])))));
        assertEquals(400, tooBig.status());
    }

    private record File(String name, byte[] data) implements FormFile {
        @Override
        public String filename() {
            return "machine.json";
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(data);
        }
    }

    /** A form request reaching the API through the region's URL, as the dispatcher hands it over. */
    private static ApiRequest request(Map<String, List<String>> parameters, List<FormFile> files) {
        return new TestApiRequest("POST", "compose", Map.of(), parameters, files)
                .withBaseUrl("http://maas.example:5240/MAAS/api/2.0/");
    }
}
