package io.metalforge.inspect.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.catalog.UploadFiletype;
import io.metalforge.api.inspect.ImageDoctor;
import io.metalforge.api.inspect.ImageExpectation;

/**
 * Gogo: {@code metalforge:inspect <file> [filetype] [architecture] [base_image]} examines a local image before it is
 * uploaded, e.g. right after a Packer build.
 */
@Component(service = InspectCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=inspect" })
public class InspectCommand {

    private final ImageDoctor doctor;

    @Activate
    public InspectCommand(@Reference ImageDoctor doctor) {
        this.doctor = doctor;
    }

    public String inspect(String file) throws IOException {
        return inspect(file, "tgz", "", "");
    }

    public String inspect(String file, String filetype) throws IOException {
        return inspect(file, filetype, "", "");
    }

    public String inspect(String file, String filetype, String architecture) throws IOException {
        return inspect(file, filetype, architecture, "");
    }

    public String inspect(String file, String filetype, String architecture, String baseImage) throws IOException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            return "No such file: " + path.toAbsolutePath();
        }
        String stored = UploadFiletype.find(filetype).map(UploadFiletype::filetype).orElse(null);
        if (stored == null) {
            return "Unknown filetype " + filetype + "; one of " + UploadFiletype.v2Values();
        }
        try (InputStream in = Files.newInputStream(path)) {
            return "File:    " + path.toAbsolutePath() + " (" + Files.size(path) + " bytes, declared " + stored + ")\n"
                    + ReportText.format(doctor.inspect(in, new ImageExpectation(stored, architecture, baseImage)));
        }
    }
}
