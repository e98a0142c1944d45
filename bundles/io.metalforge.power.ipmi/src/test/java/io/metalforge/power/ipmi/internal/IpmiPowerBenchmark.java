package io.metalforge.power.ipmi.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.metalforge.api.power.PowerOperation;
import io.metalforge.api.power.PowerService;
import io.metalforge.api.power.PowerState;
import io.metalforge.power.service.internal.PowerServiceImpl;

/**
 * bench/power.sh ipmi: N ipmi_sim BMCs (separate processes, one UDP port each) power-cycled at once through the
 * power service and the IPMI driver (FreeIPMI processes), with MAAS's wait schedule. Reference in the same run: the
 * same cycle one machine at a time on a sample, extrapolated. Not a unit test.
 */
public final class IpmiPowerBenchmark {

    private IpmiPowerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int bmcs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        String waits = args.length > 2 ? args[2] : "1,2,2,4,6,8,12";
        int sample = Math.min(bmcs, args.length > 3 ? Integer.parseInt(args[3]) : 3);
        Path work = Files.createTempDirectory("metalforge-ipmi-bench-");
        List<IpmiSimulator> sims = java.util.Collections.synchronizedList(new ArrayList<>());
        // stop the simulators also when the run is interrupted (Ctrl-C, kill)
        Thread cleanup = new Thread(() -> {
            synchronized (sims) {
                sims.forEach(IpmiSimulator::close);
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        // 20 s session timeout and, with it, 5 s between retransmissions: on a loaded host ipmi_sim answers late,
        // and short retransmission timeouts make FreeIPMI flood it with duplicates (measured: slower, then timeouts)
        IpmiPowerDriver driver = new IpmiPowerDriver(null, 20_000, Duration.ofSeconds(60), mac -> Optional.empty());
        PowerServiceImpl service = new PowerServiceImpl(new SingleDriverRegistry(driver),
                PowerServiceImpl.Options.of(threads, waits, Duration.ofSeconds(300)));
        try {
            long startSims = System.nanoTime();
            for (int i = 0; i < bmcs; i++) {
                IpmiSimulator sim = IpmiSimulator.start(work);
                sims.add(sim);
                sim.setPower("1");
                service.setBmc("m" + i, "ipmi", sim.settings());
            }
            System.out.printf("ipmi power benchmark: %d ipmi_sim BMCs started in %.1f s, service pool %d threads, "
                    + "waits %s s%n", bmcs, (System.nanoTime() - startSims) / 1e9, threads, waits);

            long refStart = System.nanoTime();
            for (int i = 0; i < sample; i++) {
                PowerService.await(service.submit("m" + i, PowerOperation.CYCLE));
            }
            double sequentialPerCycle = (System.nanoTime() - refStart) / 1e9 / sample;

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
            String firstFailure = null;
            for (CompletableFuture<PowerState> cycle : cycles) {
                try {
                    if (PowerService.await(cycle) != PowerState.ON) {
                        failed++;
                    }
                } catch (Exception e) {
                    failed++;
                    firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
                }
            }
            double total = (System.nanoTime() - start) / 1e9;
            long pxe = 0;
            for (IpmiSimulator sim : sims) {
                pxe += sim.boot().equals("pxe") && sim.power().equals("1") ? 1 : 0;
            }
            Arrays.sort(latencies);
            double estimated = sequentialPerCycle * bmcs;
            System.out.printf("concurrent: %d cycles in %.2f s (%d failed%s, %d on with PXE boot set)%n", bmcs,
                    total, failed, firstFailure == null ? "" : ": " + firstFailure, pxe);
            System.out.printf("per cycle: p50 %.2f s, p99 %.2f s, max %.2f s%n", latencies[bmcs / 2] / 1e9,
                    latencies[Math.min(bmcs - 1, (int) Math.ceil(bmcs * 0.99) - 1)] / 1e9, latencies[bmcs - 1] / 1e9);
            System.out.printf("threads: power service pool %d; each driver call runs one FreeIPMI process%n", threads);
            System.out.printf("reference (same run): one machine at a time, %.2f s per cycle (mean of %d) -> %.0f s "
                    + "for %d%n", sequentialPerCycle, sample, estimated, bmcs);
            System.out.printf("ratio: sequential / concurrent = %.1fx%n", estimated / total);
            if (failed > 0) {
                System.exit(1);
            }
        } finally {
            service.stop();
            sims.forEach(IpmiSimulator::close);
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
