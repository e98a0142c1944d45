package io.metalforge.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ops4j.pax.exam.Option;

/** Pax Exam options that boot the distribution's bundle set with its properties and a private deploy folder. */
final class PlatformOptions {

    static final String DEPLOY_DIR = "metalforge.itest.deploy";

    private PlatformOptions() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static Option[] platform() throws IOException {
        Distribution distribution = Distribution.load();
        Path work = Files.createTempDirectory("metalforge-itest");
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        List<Option> options = new ArrayList<>();
        for (Map.Entry<String, String> p : distribution.frameworkProperties().entrySet()) {
            if (!p.getKey().equals("gosh.args") && !p.getKey().equals("org.osgi.service.http.port")) {
                options.add(frameworkProperty(p.getKey()).value(p.getValue()));
            }
        }
        // no console: the forked test JVM's stdin belongs to the test runner
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        // the same properties the launcher resolves from -D: a private data and deploy folder per run
        options.add(frameworkProperty("metalforge.deploy").value(deploy.toString()));
        options.add(frameworkProperty("metalforge.data").value(work.resolve("var").toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(deploy.toString()));
        options.add(systemProperty(DEPLOY_DIR).value(deploy.toString()));
        // never collide with a platform already serving the default port on this machine
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(freePort())));
        // the boot servers too: loopback only, free ports (never 5248 or 69 of this machine)
        options.add(frameworkProperty("metalforge.boot.bind").value("127.0.0.1"));
        options.add(frameworkProperty("metalforge.boot.http.port").value(Integer.toString(freePort())));
        options.add(frameworkProperty("metalforge.boot.tftp.port").value(Integer.toString(freeUdpPort())));
        int maxLevel = 1;
        for (Distribution.EmbeddedBundle b : distribution.bundles()) {
            options.add(bundle(b.url()).startLevel(b.startLevel()).start(!b.fragment()));
            maxLevel = Math.max(maxLevel, b.startLevel());
        }
        // above Pax Exam's own bundles (level 5 for the probe)
        options.add(frameworkStartLevel(Math.max(maxLevel, 5) + 5));
        options.add(junitBundles());
        return options.toArray(Option[]::new);
    }
}
