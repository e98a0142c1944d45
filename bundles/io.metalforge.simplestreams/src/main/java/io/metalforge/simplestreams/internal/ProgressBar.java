package io.metalforge.simplestreams.internal;

import java.util.Locale;

/** Renders import progress as one terminal line: bar, percent, bytes, rate and ETA. */
final class ProgressBar {

    private ProgressBar() {
    }

    static String render(long done, long total, double rate, long etaSeconds, int width) {
        // nothing known to move yet (catalogues still being read) is an empty bar, never a full one
        double fraction = total <= 0 ? 0.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * width);
        StringBuilder sb = new StringBuilder("[");
        sb.append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
        sb.append(String.format(Locale.ROOT, "%5.1f%% %s/%s %s/s ETA %s", fraction * 100, bytes(done), bytes(total),
                bytes((long) rate), eta(etaSeconds)));
        return sb.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String eta(long seconds) {
        if (seconds < 0) {
            return "--:--";
        }
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60) : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
