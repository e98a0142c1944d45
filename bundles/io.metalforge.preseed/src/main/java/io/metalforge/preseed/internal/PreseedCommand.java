package io.metalforge.preseed.internal;

import static io.metalforge.api.shell.CommandUsage.WRONG_ARGUMENTS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.deploy.DeploymentComposer;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.shell.CommandUsage;

/**
 * Gogo: {@code metalforge:preseed <machine.json> <os/release> [filetype] [base_image]} prints the documents a
 * deployment of that image to that machine would get (placeholder credentials).
 */
@Component(service = PreseedCommand.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=preseed" }, configurationPolicy = ConfigurationPolicy.IGNORE)
public class PreseedCommand {

    static final String PREVIEW_SERVER = "http://localhost:5240/MAAS/";

    private final Preview preview;

    @Activate
    public PreseedCommand(@Reference DeploymentComposer composer, @Reference OsHandlerRegistry registry) {
        this.preview = new Preview(composer, registry);
    }

    static final CommandUsage USAGE = CommandUsage.of("metalforge:preseed",
            "<machine.json> <os/release> [filetype] [base_image]",
            "filetype in either spelling (tgz or root-tgz, ddxz or root-dd.xz, squashfs); default: the OS's usual");

    @Descriptor("Show how to call metalforge:preseed")
    public String preseed(@Descriptor(WRONG_ARGUMENTS) String... given) { return USAGE.misuse(given); }

    @Descriptor("Print the documents a deployment of the image to the machine would get")
    public String preseed(@Descriptor("machine description (JSON file)") String machineFile,
            @Descriptor("image, os/release, e.g. ubuntu/noble or custom/golden") String image) {
        return preseed(machineFile, image, null, null);
    }

    @Descriptor("Print the documents a deployment of the image to the machine would get")
    public String preseed(@Descriptor("machine description (JSON file)") String machineFile,
            @Descriptor("image, os/release, e.g. ubuntu/noble or custom/golden") String image,
            @Descriptor("filetype, e.g. tgz or root-tgz, ddxz or root-dd.xz") String filetype) {
        return preseed(machineFile, image, filetype, null);
    }

    @Descriptor("Print the documents a deployment of the image to the machine would get")
    public String preseed(@Descriptor("machine description (JSON file)") String machineFile,
            @Descriptor("image, os/release, e.g. ubuntu/noble or custom/golden") String image,
            @Descriptor("filetype, e.g. tgz or root-tgz, ddxz or root-dd.xz") String filetype,
            @Descriptor("base image of a custom image, os/release, e.g. ubuntu/noble") String baseImage) {
        try {
            byte[] json = read(Path.of(machineFile));
            return Preview.text(preview.compose(Preview.machine(json), image, filetype, baseImage, PREVIEW_SERVER));
        } catch (IllegalArgumentException | ExtensionNotInstalledException e) {
            // Gogo shows a thrown exception only as "InvocationTargetException: null"
            return "preseed: " + e.getMessage();
        } catch (IOException e) {
            return "preseed: cannot read " + machineFile + ": " + e.getMessage();
        }
    }

    private static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes(Preview.MAX_MACHINE_JSON + 1);
            if (data.length > Preview.MAX_MACHINE_JSON) {
                throw new IllegalArgumentException(file + " is larger than " + Preview.MAX_MACHINE_JSON + " bytes");
            }
            return data;
        }
    }
}
