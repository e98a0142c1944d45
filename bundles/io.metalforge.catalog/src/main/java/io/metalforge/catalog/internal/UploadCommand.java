package io.metalforge.catalog.internal;

import static io.metalforge.api.shell.CommandUsage.WRONG_ARGUMENTS;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.io.input.ProxyInputStream;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.platform.PlatformConsole;
import io.metalforge.api.shell.CommandUsage;
import io.metalforge.api.shell.Refusals;

/**
 * Gogo: {@code metalforge:upload <file> <name> [architecture] [filetype] [base_image]} uploads a local image the way
 * the maas CLI does (create, then 4 MiB chunks) with a progress bar; {@code metalforge:resume <resource id> <file>}
 * continues an interrupted one from the bytes that arrived.
 */
@Component(service = UploadCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=upload", "osgi.command.function=resume" },
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class UploadCommand {

    static final int CHUNK = 1 << 22;

    private final UploadService uploads;
    private final PlatformConsole console;

    @Activate
    public UploadCommand(@Reference UploadService uploads, @Reference PlatformConsole console) {
        this.uploads = uploads;
        this.console = console;
    }

    static final CommandUsage UPLOAD = CommandUsage.of("metalforge:upload",
            "<file> <name> [architecture] [filetype] [base_image]",
            "Defaults amd64/generic and tgz; metalforge:inspect with the same arguments shows the verdict first.");
    static final CommandUsage RESUME = CommandUsage.of("metalforge:resume", "<resource id> <file>");
    /** The descriptions of the arguments metalforge:upload and metalforge:inspect share. */
    static final String IMAGE_FILE = "image file";
    static final String ARCHITECTURE = "architecture, e.g. amd64/generic";
    static final String FILETYPE = "filetype, e.g. tgz or root-tgz, ddxz or root-dd.xz";
    static final String BASE_IMAGE = "base image of a custom image, os/release, e.g. ubuntu/noble";

    @Descriptor("Show how to call metalforge:upload")
    public String upload(@Descriptor(WRONG_ARGUMENTS) String... given) { return UPLOAD.misuse(given); }

    @Descriptor("Upload a local image as amd64/generic, tgz, with a progress bar")
    public String upload(@Descriptor(IMAGE_FILE) String file,
            @Descriptor("name, e.g. golden or custom/golden") String name) throws IOException {
        return upload(file, name, "amd64/generic", "tgz", "");
    }

    @Descriptor("Upload a local image as tgz, with a progress bar")
    public String upload(@Descriptor(IMAGE_FILE) String file, @Descriptor("name, e.g. golden") String name,
            @Descriptor(ARCHITECTURE) String architecture) throws IOException {
        return upload(file, name, architecture, "tgz", "");
    }

    @Descriptor("Upload a local image, with a progress bar")
    public String upload(@Descriptor(IMAGE_FILE) String file, @Descriptor("name, e.g. golden") String name,
            @Descriptor(ARCHITECTURE) String architecture,
            @Descriptor(FILETYPE) String filetype) throws IOException {
        return upload(file, name, architecture, filetype, "");
    }

    @Descriptor("Upload a local image, with a progress bar")
    public String upload(@Descriptor(IMAGE_FILE) String file, @Descriptor("name, e.g. golden") String name,
            @Descriptor(ARCHITECTURE) String architecture,
            @Descriptor(FILETYPE) String filetype,
            @Descriptor(BASE_IMAGE) String baseImage)
            throws IOException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            return UPLOAD.refuse("No such file: " + path.toAbsolutePath());
        }
        PrintStream out = System.out;
        out.println("Hashing " + path + " ...");
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("name", List.of(name));
        params.put("architecture", List.of(architecture));
        params.put("filetype", List.of(filetype));
        try {
            params.put("sha256", List.of(sha256(path)));
        } catch (java.io.InterruptedIOException e) {
            return "Upload cancelled while hashing (Ctrl-C); nothing was uploaded.";
        }
        params.put("size", List.of(Long.toString(Files.size(path))));
        if (!baseImage.isEmpty()) {
            params.put("base_image", List.of(baseImage));
        }
        try {
            BootResource resource = uploads.create(params, Optional.empty());
            return send(path, resource, out);
        } catch (ApiException e) {
            return "Upload refused: " + Refusals.of(e);
        }
    }

    @Descriptor("Show how to call metalforge:resume")
    public String resume(@Descriptor(WRONG_ARGUMENTS) String... given) { return RESUME.misuse(given); }

    @Descriptor("Continue an interrupted upload from the bytes that arrived")
    public String resume(@Descriptor("boot resource id (metalforge:images list)") String id,
            @Descriptor("the same image file") String file) throws IOException {
        long resourceId;
        try {
            resourceId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return RESUME.refuse("Not a boot resource id: " + id);
        }
        Optional<BootResource> resource = uploads.catalog().resource(resourceId);
        if (resource.isEmpty()) {
            return "No boot resource " + resourceId;
        }
        try {
            return send(Path.of(file), resource.get(), System.out);
        } catch (ApiException e) {
            return "Upload refused: " + Refusals.of(e);
        }
    }

    private String send(Path path, BootResource resource, PrintStream out) throws IOException, ApiException {
        List<BootResourceSet> sets = uploads.catalog().sets(resource.id());
        BootResourceFile target = uploads.catalog().files(sets.get(sets.size() - 1).id()).get(0);
        long size = target.size();
        long from = uploads.received(resource.id(), target.id());
        if (!target.complete() && from < size) {
            ProgressBar bar = new ProgressBar(console, size, from);
            try (InputStream in = Files.newInputStream(path)) {
                in.skipNBytes(from);
                for (long at = from; at < size; at += CHUNK) {
                    // Ctrl-C in the console interrupts this thread: stop between chunks, keep what arrived
                    if (Thread.interrupted()) {
                        return paused(resource, at, size, path);
                    }
                    int length = (int) Math.min(CHUNK, size - at);
                    // one chunk of the file, without closing the file
                    InputStream chunk = BoundedInputStream.builder().setInputStream(in).setMaxCount(length)
                            .setPropagateClose(false).get();
                    uploads.appendChunk(resource.id(), target.id(), chunk, length);
                    bar.show(at + length);
                }
            } finally {
                console.endProgress();
            }
        }
        return new ImagesCommand(uploads.catalog()).show(resource.id());
    }

    /** What an interrupted upload says: how far it got and the command that continues it. */
    static String paused(BootResource resource, long at, long size, Path path) {
        return "Upload paused at " + ProgressBar.human(at) + " of " + ProgressBar.human(size)
                + "; the bytes that arrived are kept. Continue with: metalforge:resume " + resource.id() + " " + path;
    }

    private static String sha256(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            // Ctrl-C in the console interrupts this thread: the hash stops at the next read
            return DigestUtils.sha256Hex(new ProxyInputStream(in) {
                @Override
                protected void beforeRead(int n) throws IOException {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.io.InterruptedIOException("hashing cancelled");
                    }
                }
            });
        }
    }

    /** A one-line bar redrawn in place (warnings go above it): [#####.....]  45%  1.2 GiB of 2.6 GiB  180 MiB/s. */
    static final class ProgressBar {
        private static final int WIDTH = 40;
        private final PlatformConsole out;
        private final long total;
        private final long start;
        private final long started = System.nanoTime();

        ProgressBar(PlatformConsole out, long total, long start) {
            this.out = out;
            this.total = total;
            this.start = start;
        }

        String render(long done, double seconds) {
            int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
            double rate = seconds <= 0 ? 0 : (done - start) / seconds;
            List<String> parts = new ArrayList<>();
            parts.add("[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]");
            parts.add(String.format("%3d%%", total == 0 ? 100 : 100 * done / total));
            parts.add(human(done) + " of " + human(total));
            parts.add(human((long) rate) + "/s");
            return String.join("  ", parts);
        }

        void show(long done) {
            out.progress(render(done, (System.nanoTime() - started) / 1e9));
        }

        static String human(long bytes) {
            String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
            double value = bytes;
            int unit = 0;
            while (value >= 1024 && unit < units.length - 1) {
                value /= 1024;
                unit++;
            }
            return unit == 0 ? bytes + " B" : String.format("%.1f %s", value, units[unit]);
        }
    }
}
