package io.metalforge.catalog.internal;

import static io.metalforge.api.shell.CommandUsage.WRONG_ARGUMENTS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.inspect.Finding;
import io.metalforge.api.shell.CommandUsage;
import io.metalforge.api.shell.Refusals;
import io.metalforge.catalog.internal.UploadService.Preview;

/**
 * Gogo: {@code metalforge:inspect <file> <name> [architecture] [filetype] [base_image]} judges a local image the way
 * {@code metalforge:upload} with the same arguments would (same defaults, same default base image, same verdict), e.g.
 * right after a Packer build, without storing anything.
 */
@Component(service = InspectCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=inspect" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class InspectCommand {

    static final CommandUsage USAGE = CommandUsage.of("metalforge:inspect",
            "<file> <name> [architecture] [filetype] [base_image]",
            "The same arguments as metalforge:upload; defaults amd64/generic and tgz.");

    private final UploadService uploads;

    @Activate
    public InspectCommand(@Reference UploadService uploads) {
        this.uploads = uploads;
    }

    @Descriptor("Show how to call metalforge:inspect")
    public String inspect(@Descriptor(WRONG_ARGUMENTS) String... given) { return USAGE.misuse(given); }

    @Descriptor("Judge a local image as metalforge:upload would (amd64/generic, tgz), storing nothing")
    public String inspect(@Descriptor(UploadCommand.IMAGE_FILE) String file,
            @Descriptor("name it would be uploaded under, e.g. golden or custom/golden") String name)
            throws IOException {
        return inspect(file, name, "amd64/generic", "tgz", "");
    }

    @Descriptor("Judge a local image as metalforge:upload would (tgz), storing nothing")
    public String inspect(@Descriptor(UploadCommand.IMAGE_FILE) String file,
            @Descriptor("name it would be uploaded under") String name,
            @Descriptor(UploadCommand.ARCHITECTURE) String architecture) throws IOException {
        return inspect(file, name, architecture, "tgz", "");
    }

    @Descriptor("Judge a local image as metalforge:upload would, storing nothing")
    public String inspect(@Descriptor(UploadCommand.IMAGE_FILE) String file,
            @Descriptor("name it would be uploaded under") String name,
            @Descriptor(UploadCommand.ARCHITECTURE) String architecture,
            @Descriptor(UploadCommand.FILETYPE) String filetype) throws IOException {
        return inspect(file, name, architecture, filetype, "");
    }

    @Descriptor("Judge a local image as metalforge:upload would, storing nothing")
    public String inspect(@Descriptor(UploadCommand.IMAGE_FILE) String file,
            @Descriptor("name it would be uploaded under") String name,
            @Descriptor(UploadCommand.ARCHITECTURE) String architecture,
            @Descriptor(UploadCommand.FILETYPE) String filetype,
            @Descriptor(UploadCommand.BASE_IMAGE) String baseImage)
            throws IOException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            return USAGE.refuse("No such file: " + path.toAbsolutePath());
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("architecture", architecture);
        form.put("filetype", filetype);
        if (!baseImage.isEmpty()) {
            form.put("base_image", baseImage);
        }
        Preview preview;
        try (InputStream in = Files.newInputStream(path)) {
            preview = uploads.preview(in, Files.size(path), form);
        } catch (ApiException e) {
            return "metalforge:upload would refuse it: " + Refusals.of(e);
        }
        StringBuilder out = new StringBuilder();
        out.append("File:         ").append(path.toAbsolutePath()).append(" (").append(Files.size(path))
                .append(" bytes)\n");
        out.append("Judged as:    ").append(name).append(", ").append(preview.expectation().architecture())
                .append(", ").append(preview.expectation().filetype()).append(", base image ")
                .append(preview.expectation().baseImage().isEmpty() ? "none" : preview.expectation().baseImage())
                .append('\n');
        out.append("Format:       ").append(preview.report().format()).append('\n');
        out.append("Verdict:      ").append(ResourceJson.verdict(preview.report().verdict()))
                .append(" (what metalforge:upload would report as image_verdict)\n");
        List<Finding> findings = preview.report().findings();
        for (Finding finding : findings) {
            out.append(String.format("  %-12s %s%n", finding.severity().name().toLowerCase(), finding.message()));
        }
        return out.toString();
    }
}
