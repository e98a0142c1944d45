package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * juju/gomaasapi from Debian, built offline in GOPATH mode, reads a machine's hardware (memory, CPUs, disks,
 * interfaces with MACs and links, boot interface, IP addresses: what was given at create), allocates it
 * (AllocateMachine), deploys it (Machine.Start) and releases it (ReleaseMachines) through the API on a real Jetty on
 * loopback.
 */
class GomaasapiLifecycleTest {

    static final Path GOPATH = Path.of("/usr/share/gocode");

    @TempDir
    Path data;

    @Test
    void gomaasapiAllocatesDeploysAndReleasesAMachine() throws Exception {
        Path go = findGo();
        if (!Files.isDirectory(GOPATH.resolve("src/github.com/juju/gomaasapi"))) {
            fail("gomaasapi sources not found under " + GOPATH + ": apt-get install -y golang-github-juju-gomaasapi-dev");
        }
        try (MachinesPlatform p = new MachinesPlatform(data.resolve("platform"))) {
            p.uploadCustom("golden", "ubuntu/jammy", "root-tgz");
            String id = p.readyMachine("gopher1", """
                    {"memory": 8192, "cpu_count": 4,
                     "interfaces": [
                       {"name": "eno1", "type": "physical", "mac": "52:54:00:0a:0b:0c", "mtu": 9000,
                        "links": [{"mode": "static", "address": "10.100.0.21",
                                   "subnet": {"cidr": "10.100.0.0/24", "gateway": "10.100.0.1"}}]},
                       {"name": "eno2", "type": "physical", "mac": "52:54:00:0a:0b:0d",
                        "links": [{"mode": "dhcp4"}]}],
                     "disks": [{"name": "sda", "model": "QEMU HARDDISK", "serial": "QM0001",
                                "size_bytes": 21474836480},
                               {"name": "sdb", "model": "QEMU HARDDISK", "serial": "QM0002",
                                "size_bytes": 10737418240}]}""", "52:54:00:0a:0b:0c", "52:54:00:0a:0b:0d");
            Path program = data.resolve("lifecycle/lifecycle.go");
            Files.createDirectories(program.getParent());
            try (InputStream in = getClass().getResourceAsStream("/gomaasapi/lifecycle.go")) {
                Files.copy(in, program);
            }
            // the Go build cache lives in target/ so repeated runs are fast
            Path cache = Path.of("target", "gocache").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(go.toString(), "run", program.toString(), p.base() + "/MAAS/",
                    p.alice.formatted(), "gopher1", "custom/golden").redirectErrorStream(true)
                    .directory(program.getParent().toFile());
            pb.environment().put("GO111MODULE", "off");
            pb.environment().put("GOPATH", GOPATH.toString());
            pb.environment().put("GOCACHE", cache.toString());
            pb.environment().put("GOFLAGS", "");
            pb.environment().put("HOME", data.toString());
            Process process = pb.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                if (!process.waitFor(300, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("go run did not finish within 300 s");
                }
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(0, process.exitValue(), output);
            List<String> lines = output.lines().toList();
            assertTrue(lines.contains("machine " + id + " gopher1 Ready amd64/generic"), output);
            assertTrue(lines.contains("memory 8192 cpus 4 ips [10.100.0.21]"), output);
            assertTrue(lines.contains("disk sda QEMU HARDDISK 21474836480 /dev/disk/by-dname/sda"), output);
            assertTrue(lines.contains("disk sdb QEMU HARDDISK 10737418240 /dev/disk/by-dname/sdb"), output);
            assertTrue(lines.contains("boot eno1 52:54:00:0a:0b:0c"), output);
            assertTrue(lines.contains("nic eno1 physical 52:54:00:0a:0b:0c 9000"), output);
            assertTrue(lines.contains("link eno1 static 10.100.0.21"), output);
            assertTrue(lines.contains("nic eno2 physical 52:54:00:0a:0b:0d 1500"), output);
            assertTrue(lines.contains("link eno2 dhcp "), output);
            assertTrue(lines.contains("allocated " + id + " Allocated"), output);
            assertTrue(lines.contains("second allocate: no match true"), "409 is gomaasapi's NoMatch: " + output);
            assertTrue(lines.contains("started " + id + " Deploying custom/golden"), output);
            assertEquals("OK", lines.get(lines.size() - 1), output);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String status = "";
            while (System.nanoTime() < end && !status.equals("Ready")) {
                status = p.apiJson("GET", "machines/" + id + "/", p.alice).get("status_name").asText();
                Thread.sleep(20);
            }
            assertEquals("Ready", status, "released back to Ready");
        }
    }

    static Path findGo() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "go");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path debian = Path.of("/usr/bin/go");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        return fail("go not found: apt-get install -y golang-go golang-github-juju-gomaasapi-dev");
    }
}
