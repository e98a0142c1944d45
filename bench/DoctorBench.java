import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.inspect.internal.ImageDoctorImpl;
import io.metalforge.inspect.internal.Limits;

/** Runs the image doctor once over a file and prints the time in seconds and what it found. */
public class DoctorBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String filetype = args.length > 1 ? args[1] : "root-tgz";
        ImageDoctorImpl doctor = new ImageDoctorImpl(Limits.DEFAULTS);
        long start = System.nanoTime();
        ImageReport report;
        try (InputStream in = Files.newInputStream(file)) {
            report = doctor.inspect(in, new ImageExpectation(filetype, "amd64/generic", "ubuntu/noble"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%.3f %s %s entries=%d%n", seconds, report.format().replace(' ', '_'), report.verdict(),
                report.rootFilesystem() == null ? 0 : report.rootFilesystem().entries());
    }
}
