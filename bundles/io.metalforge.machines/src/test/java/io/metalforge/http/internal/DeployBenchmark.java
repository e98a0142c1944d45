package io.metalforge.http.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * bench/deploy.sh: N machines deployed at once through the API and played over HTTP by their "installers" (the
 * same requests as ConcurrentDeploymentsTest), on the embedded database; prints deployments per minute and the
 * p50/p99/max latency of every API and metadata request made meanwhile.
 * Usage: DeployBenchmark [MACHINES=200] [CLIENT_THREADS=16]
 */
public final class DeployBenchmark {

    private DeployBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int machines = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path dir = Files.createTempDirectory("metalforge-deploy-bench");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (MachinesPlatform p = new MachinesPlatform(dir)) {
            p.uploadCustom("golden", "ubuntu/jammy", "root-tgz");
            List<String> ids = ConcurrentDeploymentsTest.all(pool, machines, i -> p.readyMachine(
                    String.format(Locale.ROOT, "b%05d", i),
                    String.format(Locale.ROOT, "52:54:%02x:00:%02x:%02x", i >> 16, (i >> 8) & 0xff, i & 0xff)));
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            p.latencies = latencies;
            long start = System.nanoTime();
            ConcurrentDeploymentsTest.all(pool, machines, i -> p.apiJson("POST", "machines/" + ids.get(i)
                    + "/?op=deploy", p.alice, "distro_series", "custom/golden"));
            ConcurrentDeploymentsTest.all(pool, machines, i -> {
                ConcurrentDeploymentsTest.play(p, ids.get(i));
                return null;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            p.latencies = null;
            long deployed = p.apiJson("GET", "machines/?status=deployed", p.alice).size();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "machines %d, client threads %d, deployed %d%n", machines, threads,
                    deployed);
            System.out.printf(Locale.ROOT, "deploy + install played: %.1f s, %.0f deployments per minute%n", seconds,
                    machines * 60 / seconds);
            System.out.printf(Locale.ROOT, "requests %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", sorted.size(),
                    percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    static double percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
