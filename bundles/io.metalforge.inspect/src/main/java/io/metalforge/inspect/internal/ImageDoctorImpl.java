package io.metalforge.inspect.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.inspect.DiskLayout;
import io.metalforge.api.inspect.Finding;
import io.metalforge.api.inspect.ImageDoctor;
import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.InspectionSession;
import io.metalforge.api.inspect.RootFilesystem;
import io.metalforge.api.inspect.Severity;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.platform.PlatformExecutor;
import io.metalforge.inspect.internal.Formats.Container;
import io.metalforge.inspect.internal.Formats.Layers;

/** The image doctor: one pass over the bytes, decompressing in memory-bounded streams, never writing anything. */
@Component(service = ImageDoctor.class, configurationPid = "io.metalforge.inspect")
@Designate(ocd = DoctorConfig.class)
public class ImageDoctorImpl implements ImageDoctor {

    private final Limits limits;
    /** What a custom image on a base needs is the base OS handler's answer. */
    private final OsHandlerRegistry osHandlers;

    /** Uploads inspected at once while they arrive; more wait for a thread (their uploads wait with them). */
    static final int MAX_SESSIONS = 64;

    /** Where the doctor of an upload in progress runs: a pool of the platform executor, ended with this component. */
    private final java.util.concurrent.Executor sessionThreads;

    @Activate
    public ImageDoctorImpl(DoctorConfig config, @Reference OsHandlerRegistry osHandlers,
            @Reference(scope = ReferenceScope.PROTOTYPE_REQUIRED) PlatformExecutor executor) {
        this(Limits.of(config), osHandlers, executor.pool("doctor", MAX_SESSIONS));
    }

    /** Outside a framework (tests and bench tools): each upload's doctor on a daemon thread of its own. */
    public ImageDoctorImpl(Limits limits, OsHandlerRegistry osHandlers) {
        this(limits, osHandlers, threadPerSession());
    }

    ImageDoctorImpl(Limits limits, OsHandlerRegistry osHandlers, java.util.concurrent.Executor sessionThreads) {
        this.limits = limits;
        this.osHandlers = osHandlers;
        this.sessionThreads = sessionThreads;
    }

    static java.util.concurrent.Executor threadPerSession() {
        return task -> {
            Thread t = new Thread(task, "metalforge-doctor");
            t.setDaemon(true);
            t.start();
        };
    }

    @Override
    public String describeFormat(byte[] head, int length) {
        return Formats.detect(head, length, false, limits).describe();
    }

    @Override
    public Optional<String> checkDeclaredFormat(String filetype, byte[] head, int length) {
        return Formats.mismatch(filetype, Formats.detect(head, length, false, limits));
    }

    @Override
    public Optional<String> checkDeclaredFormat(String filetype, InputStream content) throws IOException {
        return Formats.mismatch(filetype, Formats.detect(content, false, limits));
    }

    @Override
    public String describeFormat(InputStream content) throws IOException {
        return Formats.detect(content, false, limits).describe();
    }

    @Override
    public InspectionSession open(ImageExpectation expectation) {
        return new PipeSession(this, expectation, sessionThreads);
    }

    @Override
    public ImageReport inspect(InputStream content, ImageExpectation expected) throws IOException {
        CountingInputStream raw = new CountingInputStream(content);
        BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        List<Finding> findings = new ArrayList<>();
        Optional<OsHandler> base = expected.baseOs().isEmpty() ? Optional.empty() : osHandlers.find(expected.baseOs());
        if (!expected.baseOs().isEmpty() && base.isEmpty()) {
            findings.add(new Finding(Severity.WARNING, new ExtensionNotInstalledException(osHandlers.family(),
                    expected.baseOs(), osHandlers.names()).getMessage()
                    + ": the checks of a custom image on that base were not applied"));
        }
        String format = "unknown";
        RootFilesystem root = null;
        DiskLayout disk = null;
        try {
            buffered.mark(16);
            byte[] magic = new byte[16];
            int m = DiskInspector.readUpTo(buffered, magic, 0, magic.length);
            buffered.reset();
            Formats.Compression compression = Formats.compression(magic, m);
            if (compression == Formats.Compression.ZSTD) {
                format = "zstd-compressed data";
                Formats.mismatch(expected.filetype(), new Layers(compression, Container.UNDECIDED, null))
                        .ifPresent(message -> findings.add(new Finding(Severity.REJECTED, message)));
                findings.add(new Finding(Severity.WARNING, "zstd content is not inspected"));
                return ImageReport.of(format, findings, null, null, raw.count());
            }
            format = compression == Formats.Compression.NONE ? "data" : compression.label + "-compressed data";
            InputStream data = compression == Formats.Compression.NONE ? buffered
                    : new DecompressionGuard(Formats.decompress(compression, buffered, limits), raw, limits);
            BufferedInputStream inner = new BufferedInputStream(data, 128 * 1024);
            inner.mark(Filesystems.PROBE_BYTES + 1);
            byte[] probe = new byte[Filesystems.PROBE_BYTES];
            int n = DiskInspector.readUpTo(inner, probe, 0, probe.length);
            inner.reset();
            Layers layers = Formats.container(compression, probe, n, n < probe.length);
            format = layers.describe();
            Optional<String> mismatch = Formats.mismatch(expected.filetype(), layers);
            if (mismatch.isPresent()) {
                findings.add(new Finding(Severity.REJECTED, mismatch.get()));
                return ImageReport.of(format, findings, null, null, raw.count());
            }
            boolean ddInTar = expected.filetype().startsWith("root-dd") && layers.container() == Container.TAR;
            if (layers.container() == Container.TAR && ddInTar) {
                TarScanner tar = new TarScanner(inner, limits);
                TarScanner.Entry entry;
                HostileMembers hostile = new HostileMembers();
                while ((entry = tar.next()) != null && !entry.isFile()) {
                    hostile.check(entry); // directories before the image file
                }
                if (entry != null) {
                    hostile.check(entry);
                }
                hostile.finding().ifPresent(findings::add);
                if (entry == null) {
                    findings.add(new Finding(Severity.UNDEPLOYABLE, "the tar archive holds no disk image file"));
                } else {
                    findings.add(new Finding(Severity.INFO, "disk image /" + entry.path() + " in the archive"));
                    disk = DiskInspector.inspect(tar.content());
                    Diagnosis.disk(disk, expected, base, findings);
                }
            } else if (layers.container() == Container.TAR) {
                HostileMembers hostile = new HostileMembers();
                root = RootTarballInspector.inspect(new TarScanner(inner, limits), hostile);
                hostile.finding().ifPresent(findings::add);
                if (Formats.EXPECTED.containsKey(expected.filetype())) {
                    Diagnosis.rootFilesystem(root, expected, base, findings);
                }
            } else if (layers.container() == Container.DISK) {
                disk = DiskInspector.inspect(inner);
                if (Formats.EXPECTED.containsKey(expected.filetype())) {
                    Diagnosis.disk(disk, expected, base, findings);
                }
            } else if (!Formats.EXPECTED.containsKey(expected.filetype())) {
                findings.add(new Finding(Severity.INFO, "filetype " + expected.filetype() + " is not inspected"));
            }
        } catch (LimitExceededException e) {
            findings.add(new Finding(Severity.REJECTED, "rejected as hostile: " + e.getMessage()));
        } catch (CorruptImageException | EOFException e) {
            findings.add(new Finding(Severity.REJECTED, "corrupt or truncated " + format + ": " + e.getMessage()));
        } catch (IOException e) {
            if (e instanceof PipeSession.AbandonedException) {
                throw e;
            }
            // decompressors report bad data as plain IOExceptions
            findings.add(new Finding(Severity.REJECTED, "corrupt " + format + ": " + e.getMessage()));
        }
        return ImageReport.of(format, findings, root, disk, raw.count());
    }

    @Override
    public String toString() {
        return "ImageDoctor" + limits;
    }
}
