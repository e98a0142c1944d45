package io.metalforge.api.inspect;

import java.util.Comparator;
import java.util.List;

/**
 * The doctor's report on one image.
 *
 * @param format         the detected format, e.g. "gzip-compressed tar archive"
 * @param verdict        the worst severity among the findings ({@link Severity#INFO} when all is well)
 * @param findings       observations, worst first
 * @param rootFilesystem what a root tarball holds, or null
 * @param disk           what a disk image holds, or null
 * @param bytesRead      compressed bytes the doctor read
 */
public record ImageReport(String format, Severity verdict, List<Finding> findings, RootFilesystem rootFilesystem,
        DiskLayout disk, long bytesRead) {

    public ImageReport {
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity).reversed()).toList();
    }

    /** A report whose verdict is the worst of {@code findings}. */
    public static ImageReport of(String format, List<Finding> findings, RootFilesystem rootFilesystem,
            DiskLayout disk, long bytesRead) {
        Severity verdict = findings.stream().map(Finding::severity).max(Comparator.naturalOrder())
                .orElse(Severity.INFO);
        return new ImageReport(format, verdict, findings, rootFilesystem, disk, bytesRead);
    }

    /** Messages of the findings at or above {@code severity}. */
    public List<String> reasons(Severity severity) {
        return findings.stream().filter(f -> f.severity().compareTo(severity) >= 0).map(Finding::message).toList();
    }
}
