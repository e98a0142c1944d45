package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.framework.dto.BundleDTO;

/**
 * Readiness as Declarative Services reports it. The DTOs are the ones SCR hands out (plain data classes), filled
 * here as SCR fills them for each state; no framework runs.
 */
@Timeout(30)
class ReadyAnnouncerTest {

    private final PlatformExecutorImpl executor = new PlatformExecutorImpl("io.metalforge.platform", 1,
            Duration.ofSeconds(5));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final TerminalConsole console = new TerminalConsole(new PrintStream(printed, true, StandardCharsets.UTF_8));

    @AfterEach
    void end() {
        executor.close();
    }

    @Test
    void unsatisfiedFailedAndActivatingComponentsAreNamedWithTheirMissingReferences() {
        ComponentDescriptionDTO store = description("io.metalforge.http.internal.UserStore", false,
                reference("db", "io.metalforge.api.db.Database"));
        ComponentDescriptionDTO hint = description("io.metalforge.http.internal.AdminHint", true);
        ComponentDescriptionDTO lazy = description("io.metalforge.catalog.internal.Catalog", false);
        ComponentDescriptionDTO broken = description("io.metalforge.db.internal.H2", true);
        ComponentDescriptionDTO unconfigured = description("io.example.NeedsConfig", true);
        ComponentDescriptionDTO off = description("io.example.Disabled", true);
        Map<ComponentDescriptionDTO, ComponentConfigurationDTO> states = Map.of(
                store, configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "db"),
                hint, configuration(ComponentConfigurationDTO.SATISFIED),
                lazy, configuration(ComponentConfigurationDTO.SATISFIED),
                broken, failed("cannot open var/db"),
                unconfigured, configuration(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION),
                off, configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "x"));

        List<String> problems = Readiness.problems(new Bundle[0], List.of(store, hint, lazy, broken, unconfigured, off),
                d -> List.of(states.get(d)), d -> d != off, List.of());

        assertEquals(List.of(
                "component io.metalforge.http.internal.UserStore (io.metalforge.test) is missing db "
                        + "(io.metalforge.api.db.Database)",
                "component io.metalforge.http.internal.AdminHint (io.metalforge.test) is activating",
                "component io.metalforge.db.internal.H2 (io.metalforge.test) failed to activate: cannot open var/db"),
                problems);
    }

    @Test
    void aConfigurationFromTheDeployFolderMustHaveReachedItsComponent() {
        ComponentDescriptionDTO upload = description("io.metalforge.catalog.internal.UploadService", false);
        upload.configurationPid = new String[] {"io.metalforge.catalog.upload"};
        upload.configurationPolicy = "optional";
        Readiness.Configured fromDeploy = new Readiness.Configured("io.metalforge.catalog.upload", null,
                Map.of("require_synced_architecture", "false", "felix.fileinstall.filename", "file:/x.cfg"));
        ComponentConfigurationDTO defaults = configuration(ComponentConfigurationDTO.SATISFIED);
        defaults.properties = Map.of("component.name", upload.name);
        ComponentConfigurationDTO applied = configuration(ComponentConfigurationDTO.SATISFIED);
        applied.properties = Map.of("service.pid", "io.metalforge.catalog.upload", "require_synced_architecture",
                "false");

        assertEquals(List.of("configuration io.metalforge.catalog.upload is not yet applied to component "
                + "io.metalforge.catalog.internal.UploadService"), Readiness.problems(new Bundle[0], List.of(upload),
                        d -> List.of(defaults), d -> true, List.of(fromDeploy)));
        assertEquals(List.of(), Readiness.problems(new Bundle[0], List.of(upload), d -> List.of(applied), d -> true,
                List.of(fromDeploy)));
    }

    @Test
    void aComponentWaitingOnlyForReadinessDoesNotHoldItUp() {
        ComponentDescriptionDTO admin = description("io.metalforge.http.internal.AdminCommandLine", true,
                reference("$001", "io.metalforge.api.platform.PlatformReady"));
        assertEquals(List.of(), Readiness.problems(new Bundle[0], List.of(admin),
                d -> List.of(configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "$001")), d -> true,
                List.of()));
    }

    @Test
    void readyIsPrintedOnceWhenNothingIsMissing() throws Exception {
        AtomicReference<List<String>> missing = new AtomicReference<>(List.of("component A is activating"));
        List<Integer> checks = new ArrayList<>();
        ReadyAnnouncer announcer = new ReadyAnnouncer(complete -> {
            synchronized (checks) {
                checks.add(1);
            }
            return missing.get();
        }, () -> 1234, executor, console, 60_000, null);
        announcer.start();
        Thread.sleep(200);
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
        missing.set(List.of());
        long end = System.currentTimeMillis() + 5000;
        while (!announcer.announced() && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertEquals("metalforge ready in 1234 ms\n", printed.toString(StandardCharsets.UTF_8));
        int after;
        synchronized (checks) {
            after = checks.size();
        }
        Thread.sleep(200);
        synchronized (checks) {
            assertEquals(after, checks.size(), "no more checks once ready");
        }
    }

    @Test
    void theWatchdogNamesWhatIsMissingAfterItsPatience() throws Exception {
        // the frequent checks stop at the first bundle still starting; the complaint asks for the whole list
        String bundle = "bundle org.apache.felix.http.jetty12 STARTING";
        ReadyAnnouncer announcer = new ReadyAnnouncer(complete -> complete ? List.of(bundle,
                "component io.metalforge.http.internal.UserStore (io.metalforge.http) is missing db "
                        + "(io.metalforge.api.db.Database)") : List.of(bundle), () -> 1, executor, console, 300, null);
        announcer.start();
        long end = System.currentTimeMillis() + 5000;
        while (printed.size() == 0 && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals("metalforge not ready after 0 s; waiting for: " + bundle
                + "; component io.metalforge.http.internal.UserStore "
                + "(io.metalforge.http) is missing db (io.metalforge.api.db.Database)\n", text);
        assertTrue(!announcer.announced());
        announcer.stop();
    }

    private static ComponentDescriptionDTO description(String name, boolean immediate, ReferenceDTO... refs) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.immediate = immediate;
        d.references = refs;
        d.bundle = new BundleDTO();
        d.bundle.symbolicName = "io.metalforge.test";
        return d;
    }

    private static ReferenceDTO reference(String name, String type) {
        ReferenceDTO r = new ReferenceDTO();
        r.name = name;
        r.interfaceName = type;
        return r;
    }

    private static ComponentConfigurationDTO configuration(int state, String... unsatisfied) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        List<UnsatisfiedReferenceDTO> refs = new ArrayList<>();
        for (String name : unsatisfied) {
            UnsatisfiedReferenceDTO u = new UnsatisfiedReferenceDTO();
            u.name = name;
            refs.add(u);
        }
        c.unsatisfiedReferences = refs.toArray(UnsatisfiedReferenceDTO[]::new);
        return c;
    }

    private static ComponentConfigurationDTO failed(String why) {
        ComponentConfigurationDTO c = configuration(ComponentConfigurationDTO.FAILED_ACTIVATION);
        c.failure = why;
        return c;
    }
}
