package io.metalforge.simplestreams.internal;

import java.io.PrintStream;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Shell: {@code import} (with a live progress bar), {@code importing}, {@code stop-import}, {@code boot-resources}. */
@Component(service = ImportCommands.class, property = {"osgi.command.scope=metalforge",
        "osgi.command.function=import", "osgi.command.function=importing", "osgi.command.function=stopimport",
        "osgi.command.function=bootresources"})
public class ImportCommands {

    private final SimpleStreamsService service;

    @Activate
    public ImportCommands(@Reference SimpleStreamsService service) {
        this.service = service;
    }

    /** Starts an import (or follows the running one) and draws its progress until it ends. */
    public String _import() throws InterruptedException {
        return importNow();
    }

    public String importNow() throws InterruptedException {
        boolean started = service.importer.start();
        PrintStream out = System.out;
        if (!started) {
            out.println("An import is already running; following it.");
        }
        while (service.importer.importing()) {
            ImportProgress p = service.importer.progress();
            out.print("\r" + ProgressBar.render(p.done(), p.total(), p.rate(), p.etaSeconds(), 40));
            out.flush();
            Thread.sleep(500);
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

    public boolean importing() {
        return service.isImporting();
    }

    public String stopimport() {
        return service.stopImport() ? "Import of boot resources is being stopped" : "No import is running";
    }

    public String bootresources() throws java.io.IOException {
        return service.importer.state.resources().stream().map(r -> String.format("%4d  %-28s %-28s %s", r.id(),
                r.name(), r.architecture(), r.latest().map(s -> s.version() + " (" + ProgressBar.bytes(s.size())
                        + ")").orElse("-"))).collect(Collectors.joining("\n"));
    }
}
