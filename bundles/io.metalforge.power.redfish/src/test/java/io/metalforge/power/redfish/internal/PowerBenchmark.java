package io.metalforge.power.redfish.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverRegistry;
import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;
import io.metalforge.power.service.internal.PowerServiceImpl;

/**
 * bench/power.sh: N Redfish test BMCs on loopback (each its own HTTP server and port, power changes applied after a
 * delay), all power-cycled at once through the power service with MAAS's wait schedule and the Redfish driver.
 * Reference measured in the same run: the same cycle done one machine at a time on a sample, extrapolated to N.
 * Not a unit test: run by bench/power.sh.
 */
public final class PowerBenchmark {

    private PowerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int bmcs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        String waits = args.length > 2 ? args[2] : "1,2,2,4,6,8,12";
        long delay = args.length > 3 ? Long.parseLong(args[3]) : 200;
        int sample = Math.min(bmcs, args.length > 4 ? Integer.parseInt(args[4]) : 5);

        ExecutorService serverThreads = Executors.newFixedThreadPool(64);
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        List<RedfishTestServer> servers = new ArrayList<>();
        RedfishPowerDriver driver = new RedfishPowerDriver(Duration.ofSeconds(30), Duration.ofMillis(500));
        PowerServiceImpl service = new PowerServiceImpl(new OneDriver(driver),
                PowerServiceImpl.Options.of(threads, waits, Duration.ofSeconds(180)));
        try {
            for (int i = 0; i < bmcs; i++) {
                RedfishTestServer server = RedfishTestServer.builder().delayMillis(delay)
                        .shared(serverThreads, clock).start();
                servers.add(server);
                server.system("1").power = "On";
                service.setBmc("m" + i, "redfish", Map.of("power_address", server.address(), "power_user", "admin",
                        "power_pass", "secret"));
            }
            System.out.printf("power benchmark: %d Redfish BMCs on loopback, power change delay %d ms, "
                    + "service pool %d threads, waits %s s%n", bmcs, delay, threads, waits);

            // warm-up: one cycle on one machine (JIT, HTTP client), then back on
            PowerService.await(service.submit("m0", PowerOperation.CYCLE));

            // reference: the same cycle one machine at a time
            long refStart = System.nanoTime();
            for (int i = 0; i < sample; i++) {
                PowerService.await(service.submit("m" + i, PowerOperation.CYCLE));
            }
            double sequentialPerCycle = (System.nanoTime() - refStart) / 1e9 / sample;

            ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
            System.gc();
            long heapBefore = heapUsed();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            threadBean.resetPeakThreadCount();
            int threadsBefore = threadBean.getThreadCount();
            int requestsBefore = servers.stream().mapToInt(s -> s.requests.get()).sum();

            // the service's own threads, sampled while the cycles run (the JVM count includes the test servers)
            int[] peakPowerThreads = new int[2];
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    int pool = 0;
                    int client = 0;
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        if (t.getName().startsWith("metalforge-power-")) {
                            pool++;
                        } else if (t.getName().startsWith("HttpClient")) {
                            client++;
                        }
                    }
                    peakPowerThreads[0] = Math.max(peakPowerThreads[0], pool);
                    peakPowerThreads[1] = Math.max(peakPowerThreads[1], client);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long[] latencies = new long[bmcs];
            List<CompletableFuture<PowerState>> cycles = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < bmcs; i++) {
                int index = i;
                long submitted = System.nanoTime();
                cycles.add(service.submit("m" + i, PowerOperation.CYCLE)
                        .whenComplete((s, e) -> latencies[index] = System.nanoTime() - submitted));
            }
            int failed = 0;
            for (CompletableFuture<PowerState> cycle : cycles) {
                try {
                    if (PowerService.await(cycle) != PowerState.ON) {
                        failed++;
                    }
                } catch (Exception e) {
                    failed++;
                }
            }
            double total = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            int requests = servers.stream().mapToInt(s -> s.requests.get()).sum() - requestsBefore;
            long pxeBoots = servers.stream().filter(s -> !s.system("1").boots.isEmpty()
                    && s.system("1").boots.get(s.system("1").boots.size() - 1).equals("Pxe")).count();

            Arrays.sort(latencies);
            double estimatedSequential = sequentialPerCycle * bmcs;
            System.out.printf("concurrent: %d cycles in %.2f s (%d failed, %d ended in a PXE boot), "
                    + "%d HTTP requests%n", bmcs, total, failed, pxeBoots, requests);
            System.out.printf("per cycle: p50 %.2f s, p99 %.2f s, max %.2f s%n", latencies[bmcs / 2] / 1e9,
                    latencies[Math.min(bmcs - 1, (int) Math.ceil(bmcs * 0.99) - 1)] / 1e9,
                    latencies[bmcs - 1] / 1e9);
            System.out.printf("threads: power service pool peak %d, HTTP client %d; whole JVM %d before, peak %d "
                    + "(includes %d test BMC servers with 2 threads each and their shared pool of 64)%n",
                    peakPowerThreads[0], peakPowerThreads[1], threadsBefore, threadBean.getPeakThreadCount(), bmcs);
            System.out.printf("heap: %.1f MiB used before, peak %.1f MiB during%n", heapBefore / 1048576.0,
                    peakHeap / 1048576.0);
            System.out.printf("reference (same run): one machine at a time, %.2f s per cycle (mean of %d) -> "
                    + "%.0f s for %d%n", sequentialPerCycle, sample, estimatedSequential, bmcs);
            System.out.printf("ratio: sequential / concurrent = %.1fx; concurrent p50 / single cycle = %.2f%n",
                    estimatedSequential / total, latencies[bmcs / 2] / 1e9 / sequentialPerCycle);
            if (failed > 0) {
                System.exit(1);
            }
        } finally {
            service.stop();
            servers.forEach(RedfishTestServer::close);
            serverThreads.shutdownNow();
            clock.shutdownNow();
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The Redfish driver alone, standing in for the platform whiteboard. */
    private record OneDriver(PowerDriver driver) implements PowerDriverRegistry {
        @Override
        public ExtensionFamily family() {
            return ExtensionFamily.POWER_DRIVER;
        }

        @Override
        public List<String> names() {
            return List.of("redfish");
        }

        @Override
        public List<ExtensionInfo> describe() {
            return List.of();
        }

        @Override
        public Optional<PowerDriver> find(String name) {
            return name.equals("redfish") ? Optional.of(driver) : Optional.empty();
        }
    }
}
