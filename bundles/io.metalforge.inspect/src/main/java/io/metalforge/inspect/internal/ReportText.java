package io.metalforge.inspect.internal;

import io.metalforge.api.inspect.Finding;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.Severity;

/** The report as an operator reads it in the shell. */
final class ReportText {

    private ReportText() {
    }

    static String format(ImageReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Format:  ").append(report.format()).append('\n');
        out.append("Verdict: ").append(verdict(report.verdict())).append('\n');
        for (Finding finding : report.findings()) {
            out.append(String.format("  %-12s %s%n", finding.severity().name().toLowerCase(), finding.message()));
        }
        return out.toString();
    }

    static String verdict(Severity severity) {
        return switch (severity) {
            case INFO -> "ok";
            case WARNING -> "deployable, with warnings";
            case UNDEPLOYABLE -> "UNDEPLOYABLE";
            case REJECTED -> "REJECTED";
        };
    }
}
