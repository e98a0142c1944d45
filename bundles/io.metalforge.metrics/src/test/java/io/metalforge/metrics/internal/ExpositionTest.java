package io.metalforge.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The text exposition as Prometheus reads it: Debian's promtool accepts it, also with label values that need
 * escaping (a base image name is operator input), and counts are written as integers.
 */
class ExpositionTest {

    @Test
    void promtoolAcceptsFamiliesWithEscapedLabels() throws Exception {
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("base_image", "ubuntu/\"noble\"\\n\nnext");
        hostile.put("file_type", "tgz");
        String text = new Exposition()
                .family("maas_custom_static_images_uploaded", "gauge", "Custom images uploaded\nby base image")
                .sample("maas_custom_static_images_uploaded", hostile, 3)
                .sample("maas_custom_static_images_uploaded", Map.of("base_image", "centos/8", "file_type", "ddgz"),
                        1)
                .family("metalforge_machines", "gauge", "Machines by status")
                .sample("metalforge_machines", Map.of("status", "Deployed"), 0.5)
                .toString();
        assertTrue(text.contains("{base_image=\"ubuntu/\\\"noble\\\"\\\\n\\nnext\",file_type=\"tgz\"} 3\n"), text);
        assertTrue(text.contains("metalforge_machines{status=\"Deployed\"} 0.5\n"), text);

        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool (apt-get install -y prometheus) rejected:\n" + text + "\n" + out);
    }
}
