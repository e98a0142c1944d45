package io.metalforge.metadata.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The curtin configuration and preseed this bundle serves are re-written from the composer's documents (merged, the
 * datasource added). Whatever the composer quoted must stay a string for the reader on the installing machine:
 * Debian's python3-yaml ({@code yaml.safe_load}, YAML 1.1, as curtin and cloud-init load it) reads the served text
 * back with the same strings.
 */
class DocumentsYamlTest {

    private static final List<String> AMBIGUOUS = List.of("52:54:00:12:34:56", "0x1a2b3c14", "1_000", "0b1010",
            "1:20", ".inf", "2024-01-01", "0777", "1e3", "+1", "yes", "Off", "~", "null", "<<", "12345678");

    @TempDir
    Path dir;

    @Test
    void mergedDocumentsKeepTheComposersStringsForPyYaml() throws Exception {
        // a composer document as the preseed bundle writes it: every ambiguous string quoted
        StringBuilder composed = new StringBuilder("storage:\n  config:\n");
        for (String s : AMBIGUOUS) {
            composed.append("  - serial: \"").append(s.replace("\"", "\\\"")).append("\"\n");
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        Documents.merge(merged, Documents.read("network:\n  version: 2\n  ethernets:\n    eth0:\n      match:\n"
                + "        macaddress: \"52:54:00:12:34:56\"\n"));
        Documents.merge(merged, Documents.read(composed.toString()));
        JsonNode read = safeLoad(Documents.write(merged));

        assertEquals("52:54:00:12:34:56", read.at("/network/ethernets/eth0/match/macaddress").textValue());
        JsonNode config = read.at("/storage/config");
        for (int i = 0; i < AMBIGUOUS.size(); i++) {
            assertEquals(AMBIGUOUS.get(i), config.get(i).get("serial").textValue(), "serial " + i);
        }
    }

    /** The document as PyYAML loads it, handed back as JSON (strings stay strings, an int would be a number). */
    private JsonNode safeLoad(String yaml) throws IOException, InterruptedException {
        Path file = dir.resolve("doc.yaml");
        Files.writeString(file, yaml);
        Path debian = Path.of("/usr/bin/python3");
        String python = Files.isExecutable(debian) ? debian.toString() : "python3";
        Process p = new ProcessBuilder(python, "-c", "import json, sys, yaml; "
                + "print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))", file.toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "yaml.safe_load failed (apt-get install -y python3-yaml):\n" + text);
        return new ObjectMapper().readTree(text);
    }
}
