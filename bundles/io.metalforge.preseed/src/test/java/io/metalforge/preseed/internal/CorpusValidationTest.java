package io.metalforge.preseed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.deploy.BootMethod;
import io.metalforge.api.deploy.ConfigDocument;
import io.metalforge.api.deploy.ConfigDocument.Kind;
import io.metalforge.api.deploy.DeploymentConfig;
import io.metalforge.api.deploy.InterfaceType;
import io.metalforge.api.deploy.NetworkInterface;

/**
 * The corpus through the real validators: every cloud-config passes cloud-init's schema, every netplan document
 * passes `netplan generate`, every curtin document passes the structural checks. Each distinct document is
 * validated once; negative controls prove each gate rejects a broken document.
 */
class CorpusValidationTest {

    static final int CASES = 42;

    @TempDir
    Path work;

    @Test
    void corpusPassesCloudInitNetplanAndCurtinChecks() throws Exception {
        RealTools.require("cloud-init", "cloud-init");
        RealTools.require("netplan", "netplan.io");
        DeploymentComposerImpl composer = new DeploymentComposerImpl(TestOsRegistry.distribution(), (Path) null);

        Map<String, String> cloudConfigs = new LinkedHashMap<>(); // content -> first document name
        Map<String, String> netplans = new LinkedHashMap<>();
        Set<String> families = new HashSet<>();
        Set<String> bondModes = new HashSet<>();
        Set<Integer> diskCounts = new HashSet<>();
        Set<String> layouts = new HashSet<>();
        Set<BootMethod> bootMethods = new HashSet<>();
        boolean sourceRouted = false;
        boolean jumbo = false;
        boolean vlanOnBond = false;
        boolean bridge = false;
        boolean ipv6 = false;
        for (Corpus.Case c : Corpus.cases(CASES)) {
            DeploymentConfig cfg = composer.compose(c.machine(), c.image(), c.settings());
            String what = c.name();
            for (ConfigDocument d : cfg.documents()) {
                switch (d.kind()) {
                    case CLOUD_CONFIG -> cloudConfigs.putIfAbsent(d.content(), what + "/" + d.name());
                    case NETPLAN -> {
                        netplans.putIfAbsent(d.content(), what);
                        sourceRouted |= d.content().contains("routing-policy");
                    }
                    case CURTIN -> checkCurtin(d, c, cfg, cloudConfigs, what);
                }
            }
            assertEquals(cfg.networkVersion() == 2, !cfg.documents(Kind.NETPLAN).isEmpty(), what);
            families.add(c.image().custom() ? "custom" : c.image().os());
            for (NetworkInterface i : c.machine().interfaces()) {
                if (i.type() == InterfaceType.BOND) {
                    bondModes.add(i.params().get("bond_mode"));
                }
                jumbo |= i.mtu() == 9000;
                bridge |= i.type() == InterfaceType.BRIDGE;
                vlanOnBond |= i.type() == InterfaceType.VLAN && i.parents().get(0).startsWith("bond");
                ipv6 |= i.links().stream().anyMatch(l -> l.subnet() != null && l.subnet().ipv6());
            }
            diskCounts.add(c.machine().disks().size());
            layouts.add(c.machine().storage().type().name());
            bootMethods.add(c.machine().bootMethod());
        }
        // the corpus covers what it claims to
        assertEquals(Set.of("ubuntu", "custom", "centos", "rhel", "ol", "suse", "windows", "esxi"), families);
        assertEquals(Set.of("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb",
                "balance-alb"), bondModes);
        assertEquals(Set.of(1, 2, 3, 4), diskCounts);
        assertEquals(Set.of("FLAT", "LVM", "CUSTOM"), layouts);
        assertEquals(Set.of(BootMethod.BIOS, BootMethod.UEFI), bootMethods);
        assertTrue(sourceRouted && jumbo && vlanOnBond && bridge && ipv6, "corpus shapes");

        validateCloudConfigs(cloudConfigs);
        validateNetplans(netplans);
    }

    @SuppressWarnings("unchecked")
    private static void checkCurtin(ConfigDocument d, Corpus.Case c, DeploymentConfig cfg,
            Map<String, String> cloudConfigs, String what) throws IOException {
        switch (d.name()) {
            case "storage" -> CurtinChecks.storage(d.content(), c.machine(), what);
            case "network" -> {
                if (cfg.networkVersion() == 1) {
                    CurtinChecks.networkV1(d.content(), what);
                }
            }
            case "main" -> CurtinChecks.main(d.content(), what);
            case "cloudconfig" -> {
                // the files written into the target are cloud-configs too
                Map<String, Object> files = (Map<String, Object>) Yaml.read(d.content()).get("cloudconfig");
                for (Map.Entry<String, Object> f : files.entrySet()) {
                    String content = (String) ((Map<String, Object>) f.getValue()).get("content");
                    if (content.startsWith("#cloud-config")) {
                        cloudConfigs.putIfAbsent(content, what + "/cloudconfig/" + f.getKey());
                    }
                }
            }
            default -> Yaml.read(d.content());
        }
    }

    private void validateCloudConfigs(Map<String, String> cloudConfigs) throws IOException {
        Path dir = Files.createDirectories(work.resolve("cloud-config"));
        List<Path> files = new ArrayList<>();
        Map<String, Path> samplePerKind = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, String> e : cloudConfigs.entrySet()) {
            Path f = dir.resolve("cc-" + n++ + ".yaml");
            Files.writeString(f, e.getKey());
            files.add(f);
            samplePerKind.putIfAbsent(e.getValue().replaceAll("^[^/]*/", ""), f);
        }
        // negative control: a wrong enum value must be rejected by the same gate
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, cloudConfigs.keySet().stream().filter(s -> s.contains("power_state")).findFirst()
                .orElseThrow().replace("mode: reboot", "mode: reboott"));
        files.add(broken);

        RealTools.Result batch = RealTools.cloudInitSchemaBatch(files, work);
        Set<String> invalid = batch.output().lines().filter(l -> l.startsWith("INVALID ")).collect(Collectors.toSet());
        assertEquals(1, invalid.size(), "only the negative control may fail:\n" + batch.output());
        assertTrue(invalid.iterator().next().startsWith("INVALID " + broken), batch.output());
        assertEquals(files.size() - 1, batch.output().lines().filter(l -> l.startsWith("VALID ")).count(),
                batch.output());
        assertTrue(cloudConfigs.size() >= CASES * 3, "distinct cloud-configs: " + cloudConfigs.size());

        // the command-line gate on one document of each kind, and on the negative control
        for (Map.Entry<String, Path> s : samplePerKind.entrySet()) {
            RealTools.Result cli = RealTools.cloudInitSchema(s.getValue());
            assertEquals(0, cli.rc(), s.getKey() + ": " + cli.output());
            assertTrue(cli.output().contains("Valid cloud-config"), cli.output());
        }
        assertEquals(1, RealTools.cloudInitSchema(broken).rc());
    }

    private void validateNetplans(Map<String, String> netplans) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(netplans);
        String vlanToNowhere = "network:\n  version: 2\n  vlans:\n    v9:\n      id: 9\n      link: nowhere\n";
        all.put(vlanToNowhere, "negative control");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<RealTools.Result>> results = new LinkedHashMap<>();
            int n = 0;
            for (String yaml : all.keySet()) {
                Path root = work.resolve("netplan-" + n++);
                results.put(yaml, pool.submit(() -> RealTools.netplanGenerate(yaml, root)));
            }
            for (Map.Entry<String, Future<RealTools.Result>> r : results.entrySet()) {
                RealTools.Result res = r.getValue().get();
                if (r.getKey().equals(vlanToNowhere)) {
                    assertEquals(1, res.rc(), "netplan must reject the negative control: " + res.output());
                } else {
                    assertEquals(0, res.rc(), all.get(r.getKey()) + ":\n" + r.getKey() + "\n" + res.output());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(netplans.size() >= 15, "distinct netplan documents: " + netplans.size());
    }
}
