package io.metalforge.itests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The power endpoints of the real-boot test's VMs, as Metalforge's webhook power driver calls them: {@code POST
 * /<vm>/on} starts qemu, {@code POST /<vm>/off} stops it, {@code GET /<vm>/query} answers {@code status: running} or
 * {@code status: stopped} (the driver's default regular expressions). The disk size of the next power on is set by
 * the test per VM, so a deployment can be made to fail for want of space.
 */
final class WebhookBmc implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, QemuMachine> machines = new ConcurrentHashMap<>();
    private final Map<String, Long> diskBytes = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    WebhookBmc() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    void add(String name, QemuMachine machine, long disk) {
        machines.put(name, machine);
        diskBytes.put(name, disk);
    }

    void nextDisk(String name, long bytes) {
        diskBytes.put(name, bytes);
    }

    /** The machine's power parameters for {@code machines create}. */
    Map<String, String> powerParameters(String name) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
        return Map.of("power_parameters_power_on_uri", base + "/on", "power_parameters_power_off_uri", base + "/off",
                "power_parameters_power_query_uri", base + "/query");
    }

    List<String> calls() {
        return calls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            exchange.getRequestBody().readAllBytes();
            String[] path = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
            QemuMachine vm = path.length == 2 ? machines.get(path[0]) : null;
            String method = exchange.getRequestMethod();
            calls.add(method + " " + exchange.getRequestURI().getPath());
            String answer;
            if (vm == null) {
                answer = null;
            } else if (method.equals("POST") && path[1].equals("on")) {
                vm.powerOn(diskBytes.get(path[0]));
                answer = "status: running";
            } else if (method.equals("POST") && path[1].equals("off")) {
                vm.powerOff();
                answer = "status: stopped";
            } else if (method.equals("GET") && path[1].equals("query")) {
                answer = vm.isOn() ? "status: running" : "status: stopped";
            } else {
                answer = null;
            }
            byte[] body = (answer == null ? "not found" : answer + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
