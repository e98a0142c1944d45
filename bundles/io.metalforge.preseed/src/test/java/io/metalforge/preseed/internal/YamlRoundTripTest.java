package io.metalforge.preseed.internal;

import static io.metalforge.preseed.internal.Fixtures.image;
import static io.metalforge.preseed.internal.Fixtures.settings;
import static io.metalforge.preseed.internal.Fixtures.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.ConfigDocument.Kind;
import io.metalforge.api.deploy.DeploymentConfig;

/**
 * What curtin, cloud-init and netplan read: every string the composer's YAML writer emits, loaded by Debian's
 * python3-yaml ({@code yaml.safe_load}, YAML 1.1, as curtin and cloud-init load it), is the same string, as a value and
 * as a key. The strings are generated in the shapes YAML 1.1 and 1.2 resolve to something else (sexagesimal MACs, hex
 * serials, octal, binary, underscored and signed numbers, floats, infinities, dates, booleans, nulls) next to paths,
 * hostnames, WWNs and text with YAML's indicator characters.
 */
class YamlRoundTripTest {

    private static final long SEED = 20261126L;
    private static final int RANDOM_STRINGS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads the YAML file named by argv[1] with yaml.safe_load and prints it as JSON (non-strings kept as such). */
    private static final String SAFE_LOAD_TO_JSON = String.join("\n",
            "import json, sys, yaml",
            "def plain(o):",
            "    if isinstance(o, dict): return {'__map__': [[plain(k), plain(v)] for k, v in o.items()]}",
            "    if isinstance(o, list): return [plain(v) for v in o]",
            "    if isinstance(o, str) or o is None: return o",
            "    return {'__not_a_string__': type(o).__name__ + ':' + repr(o)}",
            "with open(sys.argv[1], encoding='utf-8') as f:",
            "    print(json.dumps(plain(yaml.safe_load(f))))");

    /** What curtin does before it writes the network config onto the installed system: load, then dump. */
    private static final String SAFE_LOAD_AND_DUMP = String.join("\n",
            "import sys, yaml",
            "with open(sys.argv[1], encoding='utf-8') as f:",
            "    doc = yaml.safe_load(f)",
            "with open(sys.argv[2], 'w', encoding='utf-8') as f:",
            "    yaml.safe_dump(doc, f, default_flow_style=False)");

    @TempDir
    Path work;

    @Test
    void everyStringLoadsUnderPyYamlAsTheSameString() throws Exception {
        Set<String> distinct = new LinkedHashSet<>(shapes());
        distinct.addAll(generated(new Random(SEED), RANDOM_STRINGS));
        List<String> strings = List.copyOf(distinct);
        Map<String, Object> keys = new LinkedHashMap<>();
        for (int i = 0; i < strings.size(); i++) {
            keys.put(strings.get(i), "k" + i);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("values", strings);
        doc.put("keys", keys);
        doc.put("nested", Maps.of("network", Maps.of("version", 1, "config",
                List.of(Maps.of("type", "physical", "name", "eth0", "mac_address", "52:54:00:12:34:56")))));

        JsonNode loaded = safeLoad(Yaml.write(doc));

        List<String> wrong = new ArrayList<>();
        JsonNode entries = loaded.get("__map__");
        JsonNode values = entries.get(0).get(1);
        assertEquals(strings.size(), values.size(), "values in the list");
        for (int i = 0; i < strings.size(); i++) {
            if (!values.get(i).isTextual() || !values.get(i).asText().equals(strings.get(i))) {
                wrong.add("value " + show(strings.get(i)) + " loaded as " + values.get(i));
            }
        }
        JsonNode keyEntries = entries.get(1).get(1).get("__map__");
        assertEquals(strings.size(), keyEntries.size(), "keys in the mapping");
        for (int i = 0; i < strings.size(); i++) {
            JsonNode k = keyEntries.get(i).get(0);
            if (!k.isTextual() || !k.asText().equals(strings.get(i))) {
                wrong.add("key " + show(strings.get(i)) + " loaded as " + k);
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " of " + strings.size() + " strings did not load back as written (seed " + SEED
                    + "), first ones:\n" + String.join("\n", wrong.subList(0, Math.min(40, wrong.size()))));
        }
        String mac = entries.get(2).get(1).get("__map__").get(0).get(1).get("__map__").get(1).get(1).get(0)
                .get("__map__").get(2).get(1).asText();
        assertEquals("52:54:00:12:34:56", mac);
    }

    @Test
    void netplanAcceptsTheComposedV2ConfigAfterPyYamlLoadAndDump() throws Exception {
        DeploymentComposerImpl composer = new DeploymentComposerImpl(TestOsRegistry.distribution(), (Path) null);
        DeploymentConfig cfg = composer.compose(simple("amd64", BootMethod.UEFI),
                image("ubuntu", "jammy", "squashfs", ""), settings());
        String netplan = cfg.documents(Kind.NETPLAN).get(0).content();
        assertTrue(netplan.contains("52:54:00:12:34:56"), netplan);

        Path written = Files.writeString(work.resolve("composed.yaml"), netplan);
        Path dumped = work.resolve("dumped.yaml");
        RealTools.Result rt = RealTools.run(List.of(python3().toString(), "-c", SAFE_LOAD_AND_DUMP,
                written.toString(), dumped.toString()), 60);
        assertEquals(0, rt.rc(), rt.output());
        String afterCurtin = Files.readString(dumped);

        RealTools.Result generated = RealTools.netplanGenerate(afterCurtin, Files.createDirectories(work.resolve("root")));
        assertEquals(0, generated.rc(), "netplan generate refused the document curtin would write:\n"
                + generated.output() + "\n" + afterCurtin);
        JsonNode loaded = safeLoad(afterCurtin);
        assertTrue(loaded.toString().contains("\"52:54:00:12:34:56\""), loaded.toString());
        // netplan's own output names the MAC in the link file it generated for the match
        Path units = work.resolve("root/run/systemd/network");
        assertTrue(Files.isDirectory(units), "netplan wrote no networkd units");
        try (var files = Files.list(units)) {
            assertTrue(files.anyMatch(f -> read(f).toLowerCase(Locale.ROOT).contains("52:54:00:12:34:56")),
                    "no networkd unit matches MAC 52:54:00:12:34:56");
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode safeLoad(String yaml) throws Exception {
        Path file = Files.writeString(work.resolve("doc-" + System.nanoTime() + ".yaml"), yaml);
        RealTools.Result r = RealTools.run(List.of(python3().toString(), "-c", SAFE_LOAD_TO_JSON, file.toString()),
                60);
        assertEquals(0, r.rc(), "yaml.safe_load failed:\n" + r.output());
        return JSON.readTree(r.output());
    }

    /** Debian's interpreter first: its python3-yaml is the PyYAML that curtin and cloud-init run with. */
    private static Path python3() {
        Path debian = Path.of("/usr/bin/python3");
        Path python = Files.isExecutable(debian) ? debian : RealTools.require("python3", "python3-yaml");
        RealTools.Result check = RealTools.run(List.of(python.toString(), "-c", "import yaml"), 30);
        if (check.rc() != 0) {
            fail("python3 has no yaml module: install it with `apt-get install -y python3-yaml`\n" + check.output());
        }
        return python;
    }

    private static String show(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }

    /** Hand-picked strings of every shape that YAML 1.1 or 1.2 resolves to a non-string, and their neighbours. */
    static List<String> shapes() {
        Set<String> s = new LinkedHashSet<>(List.of(
                "52:54:00:12:34:56", "00:16:3e:00:00:01", "12:34:56", "1:20", "190:20:30", "-1:30", "+1:30",
                "1:20.5", "0x1a2b3c14", "0X1A", "0x_1", "-0x1f", "1_000", "1_000.5", "0b1010", "-0b1", "0b_1",
                "0777", "0o777", "0_7", "+1", "-1", "1", "0", "00", "007", "1e3", "1E3", "1.0e+3", "1.5", ".5",
                "1.", "-.5", "+.5", "6.8523015e+5", "685.230_15e+03", "190:20:30.15", ".inf", ".Inf", ".INF",
                "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "inf", "nan", "NaN", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
                "2001-12-14 21:59:43.10 -5", "2002-12-14", "2024-1-1", "2024-01-01T00:00:00Z", "yes", "Yes", "YES",
                "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "true", "True", "TRUE",
                "false", "False", "FALSE", "tRUE", "~", "null", "Null", "NULL", "", " ", "<<", "=", "-", "?", ":",
                "!", "&a", "*a", "!!int 3", "#", "# comment", "a #b", "a: b", "a:b", "key:", "[1]", "{a: 1}", ",",
                "|", ">", "'", "\"", "%", "@", "`", "- x", "? x", "a\nb", "trailing ", " leading", "tab\tin",
                "line\n", "\ttab", "/dev/sda", "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", "0x5000c500a1b2c3d4",
                "5000c500a1b2c3d4", "naa.5000c500a1b2c3d4", "eui.0025385b71b07e2f", "QM-sda", "S3Z9NB0K123456A",
                "WD-WCC4N1234567", "1234567890", "web01", "web-01.maas", "10.0.0.5", "10.0.0.0/24", "fe80::1",
                "::1", "2001:db8::1/64", "http://10.0.0.2:5240/MAAS/", "ubuntu/jammy", "amd64/generic",
                "ÿmlaut", "日本語", "é", "0.0.0.0", "1.2.3", "12:34:56:78:9a:bc", "1:2:3", "0:0", "60:60",
                "1__0", "_1", "1_", "+", "+0", "-0", ".", "..", "...", "---", "--- x", "e3", "0e0", "0.e1"));
        return new ArrayList<>(s);
    }

    /** Random strings built from the pieces the shapes above are made of. */
    static List<String> generated(Random r, int count) {
        String[] signs = {"", "", "+", "-"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String sign = signs[r.nextInt(signs.length)];
            String v = switch (r.nextInt(16)) {
                case 0 -> mac(r, ':');
                case 1 -> mac(r, '-');
                case 2 -> sign + "0x" + hex(r, 1 + r.nextInt(16));
                case 3 -> sign + digits(r, 1 + r.nextInt(4)) + "_" + digits(r, 3);
                case 4 -> sign + "0b" + bits(r);
                case 5 -> sign + "0" + octal(r);
                case 6 -> sign + (1 + r.nextInt(200)) + ":" + r.nextInt(60) + (r.nextBoolean() ? ":" + r.nextInt(60) : "");
                case 7 -> sign + digits(r, 1 + r.nextInt(3)) + "." + digits(r, r.nextInt(3))
                        + (r.nextBoolean() ? "e" + signs[r.nextInt(4)] + r.nextInt(40) : "");
                case 8 -> sign + digits(r, 1 + r.nextInt(3)) + (r.nextBoolean() ? "e" : "E") + r.nextInt(40);
                case 9 -> String.format(Locale.ROOT, "%04d-%02d-%02d", 1900 + r.nextInt(200), 1 + r.nextInt(12),
                        1 + r.nextInt(28)) + (r.nextBoolean() ? "T" + r.nextInt(24) + ":00:00Z" : "");
                case 10 -> cased(r, new String[] {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~",
                        ".inf", ".nan", "-.inf"}[r.nextInt(13)]);
                case 11 -> (r.nextBoolean() ? "wwn-0x" : "0x") + hex(r, 16);
                case 12 -> "/dev/disk/by-id/" + (r.nextBoolean() ? "ata-QEMU_HARDDISK_QM0000" : "nvme-eui.")
                        + hex(r, 1 + r.nextInt(12));
                case 13 -> "node-" + hex(r, 4) + (r.nextBoolean() ? ".maas" : "");
                case 14 -> sign + digits(r, 1 + r.nextInt(12));
                default -> (r.nextBoolean() ? "0x" : "") + hex(r, 8).toUpperCase(Locale.ROOT);
            };
            out.add(v);
        }
        return out;
    }

    private static String mac(Random r, char sep) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                b.append(sep);
            }
            // decimal-looking octets are the ones YAML 1.1 reads as base 60
            b.append(r.nextInt(3) == 0 ? hex(r, 2) : String.format(Locale.ROOT, "%02d", r.nextInt(60)));
        }
        return b.toString();
    }

    private static String hex(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return b.toString();
    }

    private static String digits(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    private static String bits(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
            b.append(r.nextInt(4) == 0 ? '_' : (char) ('0' + r.nextInt(2)));
        }
        return b.toString();
    }

    private static String octal(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            b.append((char) ('0' + r.nextInt(8)));
        }
        return b.toString();
    }

    private static String cased(Random r, String word) {
        return switch (r.nextInt(3)) {
            case 0 -> word;
            case 1 -> word.toUpperCase(Locale.ROOT);
            default -> word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
        };
    }
}
