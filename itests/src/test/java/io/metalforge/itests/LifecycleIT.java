package io.metalforge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

import io.metalforge.api.platform.PlatformReady;
import io.metalforge.api.source.ImageImporter;

/**
 * Managed lifecycles in the distribution's bundle set: the platform says it is ready only when Declarative
 * Services reports every component satisfied, and a bundle that stops takes all its threads with it. A fresh
 * framework per test, since the tests stop bundles.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LifecycleIT {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws Exception {
        return PlatformOptions.platform();
    }

    @Test
    public void readyMeansNoComponentIsUnsatisfied() throws Exception {
        ServiceTracker<PlatformReady, PlatformReady> tracker = new ServiceTracker<>(context, PlatformReady.class, null);
        tracker.open();
        try {
            PlatformReady ready = tracker.waitForService(60_000);
            assertNotNull("the platform became ready", ready);
            // A component that references PlatformReady (the sync's SyncAfterReady) is activated by ready itself, on
            // the thread that registered it, which this test's tracker may hear of first: such a component may still
            // be activating now, and must be active soon after. Every other one must be satisfied already.
            assertEquals("components not satisfied and active at ready", List.of(), notReady(false));
            long deadline = System.currentTimeMillis() + 30_000;
            List<String> afterReady = notReady(true);
            while (!afterReady.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                afterReady = notReady(true);
            }
            assertEquals("components activated by ready still not active 30 s later", List.of(), afterReady);
        } finally {
            tracker.close();
        }
    }

    /**
     * Enabled components not satisfied, or immediate and not active: those that reference {@link PlatformReady} when
     * {@code activatedByReady}, all others otherwise.
     */
    private List<String> notReady(boolean activatedByReady) {
        List<String> out = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            boolean byReady = java.util.Arrays.stream(d.references)
                    .anyMatch(r -> PlatformReady.class.getName().equals(r.interfaceName));
            if (byReady != activatedByReady || !scr.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                boolean ok = c.state == ComponentConfigurationDTO.ACTIVE
                        || c.state == ComponentConfigurationDTO.SATISFIED && !d.immediate;
                if (!ok) {
                    out.add(d.name + " state " + c.state);
                }
            }
        }
        return out;
    }

    @Test
    public void stoppingABundleLeavesNoThreadOfItAlive() throws Exception {
        // the sync, once used, keeps one platform thread for its import schedule (idle threads of other components
        // end after 30 s, so they may be gone already; none may remain after its bundle stopped)
        var importer = context.getServiceReference(ImageImporter.class);
        assertNotNull(context.getService(importer));
        awaitThreads("metalforge-io.metalforge.simplestreams", true);
        for (String bsn : List.of("io.metalforge.simplestreams", "io.metalforge.http", "io.metalforge.power.service")) {
            bundle(bsn).stop();
            awaitThreads("metalforge-" + bsn, false);
        }
        // and none of the hand-made threads of old remains anywhere
        List<String> old = threadNames().stream().filter(n -> List.of("metalforge-userstore-migrate",
                "metalforge-admin-hint", "metalforge-import-schedule", "metalforge-ready-watchdog").contains(n))
                .toList();
        assertEquals(List.of(), old);
    }

    private void awaitThreads(String prefix, boolean present) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end) {
            boolean found = threadNames().stream().anyMatch(n -> n.startsWith(prefix + "-"));
            if (found == present) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError((present ? "no thread " : "threads still alive: ") + prefix + "-*: " + threadNames());
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).sorted()
                .toList();
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                assertTrue(bsn + " active", b.getState() == Bundle.ACTIVE);
                return b;
            }
        }
        throw new AssertionError(bsn + " not installed");
    }
}
