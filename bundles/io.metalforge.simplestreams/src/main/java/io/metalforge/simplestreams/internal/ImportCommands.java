package io.metalforge.simplestreams.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.platform.PlatformConsole;

/**
 * Shell: {@code startimport} (with a live progress bar), {@code importing}, {@code stopimport}, {@code bootresources}.
 * Function names are Java method names: Gogo's {@code help} lists a function only when a public method has its name
 * (so not {@code import}, a Java keyword).
 */
@Component(service = ImportCommands.class, property = {"osgi.command.scope=metalforge",
        "osgi.command.function=startimport", "osgi.command.function=importing", "osgi.command.function=stopimport",
        "osgi.command.function=bootresources"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class ImportCommands {

    private final SimpleStreamsService service;
    private final PlatformConsole console;
    private final BootResourceCatalog catalog;

    @Activate
    public ImportCommands(@Reference SimpleStreamsService service, @Reference PlatformConsole console,
            @Reference BootResourceCatalog catalog) {
        this.service = service;
        this.console = console;
        this.catalog = catalog;
    }

    /** Starts an import (or follows the running one) and draws its progress until it ends. */
    @Descriptor("Import the selected boot images now (or follow the running import), with a progress bar")
    public String startimport() throws InterruptedException {
        return importNow();
    }

    static final String CTRL_C = "Stopped following the import; it goes on in the background "
            + "(metalforge:importing shows it, metalforge:stopimport cancels it).";

    String importNow() throws InterruptedException {
        boolean started = service.importer.start();
        PrintStream out = System.out;
        if (!started) {
            out.println("An import is already running; following it.");
        }
        // the platform console draws the bar, so a warning logged meanwhile goes above it
        try {
            while (service.importer.importing()) {
                ImportProgress p = service.importer.progress();
                console.progress(ProgressBar.render(p.done(), p.total(), p.rate(), p.etaSeconds(), 40));
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            // Ctrl-C stops following, not the import: other users and the schedule may depend on it
            return CTRL_C;
        } finally {
            console.endProgress();
        }
        ImportProgress p = service.importer.progress();
        SyncEngine.Report r = service.importer.lastReport();
        return summary(p, r, out);
    }

    /**
     * The end of an import as the shell shows it: the final bar only when it completed (a failed import never
     * draws a full bar), then the reason of a failure in one line, what was published and removed, and each error.
     */
    static String summary(ImportProgress p, SyncEngine.Report r, PrintStream out) {
        boolean failed = ImportProgress.FAILED.equals(p.state());
        if (failed || p.total() == 0) {
            out.print("\r" + " ".repeat(100) + "\r"); // wipe the live bar: there is no bar to end on
            if (!failed && ImportProgress.COMPLETE.equals(p.state())) {
                out.print("Nothing to download: the selected images are up to date.\n");
            }
            out.flush();
        } else {
            out.println("\r" + ProgressBar.render(p.done(), p.total(), p.rate(), p.etaSeconds(), 40));
        }
        if (r == null) {
            return "Import ended";
        }
        StringBuilder sb = new StringBuilder();
        if (failed) {
            sb.append("Import failed: ").append(p.reason()).append('\n');
        } else if (ImportProgress.STOPPED.equals(p.state())) {
            sb.append("Import stopped\n");
        }
        sb.append("Published ").append(r.published().size()).append(" set(s)");
        r.published().forEach(s -> sb.append("\n  + ").append(s));
        r.removed().forEach(s -> sb.append("\n  - ").append(s));
        r.errors().values().forEach(e -> sb.append("\n  ! ").append(e));
        return sb.toString();
    }

    @Descriptor("Tell whether an import is running")
    public String importing() {
        return service.isImporting() ? "An import is running" : "No import is running";
    }

    @Descriptor("Stop the running import")
    public String stopimport() {
        return service.stopImport() ? "Import of boot resources is being stopped" : "No import is running";
    }

    @Descriptor("List the boot resources: synced and uploaded images")
    public String bootresources() {
        StringBuilder out = new StringBuilder(String.format("%-5s %-9s %-28s %-20s %s%n", "ID", "TYPE", "NAME",
                "ARCHITECTURE", "LATEST SET"));
        List<BootResource> resources = catalog.resources(Optional.empty());
        if (resources.isEmpty()) {
            return "No boot resources";
        }
        for (BootResource r : resources) {
            List<BootResourceSet> sets = catalog.sets(r.id());
            String latest = sets.isEmpty() ? "-" : sets.get(sets.size() - 1).version()
                    + (catalog.isComplete(sets.get(sets.size() - 1).id()) ? " complete" : " incomplete");
            out.append(String.format("%-5d %-9s %-28s %-20s %s%n", r.id(), r.type().label(), r.name(),
                    r.architecture(), latest));
        }
        return out.toString();
    }
}
