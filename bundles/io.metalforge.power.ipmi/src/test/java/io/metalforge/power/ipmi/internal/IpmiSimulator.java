package io.metalforge.power.ipmi.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One OpenIPMI ipmi_sim BMC on 127.0.0.1 and a free UDP port, with the project's configuration from
 * src/test/resources/ipmi_sim (LAN channel, users, a chassis-control script that keeps power and boot device in
 * files). Needs the apt package openipmi; the driver under test needs freeipmi-tools.
 */
final class IpmiSimulator implements AutoCloseable {

    static final String USER = "metalforge";
    static final String PASSWORD = "mf-ipmi-pass";

    private final Path dir;
    private final int port;
    private final Process process;

    private IpmiSimulator(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Fails the test with the apt packages to install when a tool is missing. */
    static void requireTools() {
        for (String[] tool : List.of(new String[] { "ipmi_sim", "openipmi" },
                new String[] { "ipmipower", "freeipmi-tools" }, new String[] { "ipmi-chassis-config",
                        "freeipmi-tools" })) {
            boolean found = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                    .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool[0])))
                    || Files.isExecutable(Path.of("/usr/bin", tool[0])) || Files.isExecutable(Path.of("/usr/sbin", tool[0]));
            if (!found) {
                fail(tool[0] + " is not installed; install it with: apt-get install -y " + tool[1]);
            }
        }
    }

    static IpmiSimulator start(Path parent) throws Exception {
        requireTools();
        Path dir = Files.createTempDirectory(parent, "bmc-");
        int port = freeUdpPort();
        String template = resource("lan.conf.template").replace("@DIR@", dir.toString())
                .replace("@PORT@", Integer.toString(port));
        Files.writeString(dir.resolve("lan.conf"), template);
        Files.writeString(dir.resolve("bmc.emu"), resource("bmc.emu"));
        Path control = dir.resolve("chassis-control");
        Files.writeString(control, resource("chassis-control"));
        Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir.resolve("state"));
        Process process = new ProcessBuilder("ipmi_sim", "-c", dir.resolve("lan.conf").toString(), "-f",
                dir.resolve("bmc.emu").toString(), "-s", dir.resolve("state").toString(), "-n")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ipmi_sim.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        IpmiSimulator sim = new IpmiSimulator(dir, port, process);
        sim.awaitReady();
        return sim;
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    Map<String, String> settings() {
        return new java.util.HashMap<>(Map.of("power_address", address(), "power_user", USER, "power_pass",
                PASSWORD));
    }

    /** Chassis power as the simulator's chassis keeps it: "0" or "1". */
    String power() throws IOException {
        Path file = dir.resolve("power");
        return Files.exists(file) ? Files.readString(file).trim() : "0";
    }

    /** Sets the chassis power as if it had been switched by hand ("0" or "1"). */
    void setPower(String value) throws IOException {
        Files.writeString(dir.resolve("power"), value + "\n");
    }

    String boot() throws IOException {
        Path file = dir.resolve("boot");
        return Files.exists(file) ? Files.readString(file).trim() : "default";
    }

    /** Every "set" the BMC received, oldest first ("power 1", "boot pxe", ...). */
    List<String> history() throws IOException {
        Path file = dir.resolve("history");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** Waits until the BMC answers an RMCP presence ping on its UDP port. */
    private void awaitReady() throws Exception {
        byte[] ping = { 0x06, 0x00, (byte) 0xff, 0x06, 0x00, 0x00, 0x11, (byte) 0xbe, (byte) 0x80, 0x01, 0x00, 0x00 };
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(100);
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    fail("ipmi_sim exited: " + Files.readString(dir.resolve("ipmi_sim.log")));
                }
                socket.send(new DatagramPacket(ping, ping.length, InetAddress.getLoopbackAddress(), port));
                try {
                    socket.receive(new DatagramPacket(new byte[64], 64));
                    return;
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
            }
        }
        close();
        fail("ipmi_sim did not answer on udp port " + port);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = IpmiSimulator.class.getResourceAsStream("/ipmi_sim/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource ipmi_sim/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
