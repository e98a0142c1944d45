package io.metalforge.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Counts what happens in this process for {@code /MAAS/metrics} (Prometheus counters: they start at 0 when the
 * process starts, as Prometheus expects of a counter). Cheap and non-blocking, so the code that counts can call it
 * on its hot path. A bundle takes it as an optional, dynamic reference and calls it through {@link #orNone}, so
 * counting never makes the metrics bundle a requirement.
 */
@ProviderType
public interface MetricsRecorder {

    /** Records nothing: what {@link #orNone} gives while no recorder is there. */
    MetricsRecorder NONE = new MetricsRecorder() {
        @Override
        public void syncedBytes(long bytes) {
            // not counted
        }

        @Override
        public void uploadedBytes(long bytes) {
            // not counted
        }

        @Override
        public void powerOperation(String driver, String operation, String result) {
            // not counted
        }
    };

    /** {@code recorder}, or {@link #NONE} when it is null (an optional reference not bound). */
    static MetricsRecorder orNone(MetricsRecorder recorder) {
        return recorder == null ? NONE : recorder;
    }

    /** Bytes of image files the image sync received from a mirror (counted as they arrive). */
    void syncedBytes(long bytes);

    /** Bytes of uploaded image content stored (each accepted chunk). */
    void uploadedBytes(long bytes);

    /**
     * One finished power operation.
     *
     * @param driver    the power driver's name ({@code ipmi}, {@code redfish}, {@code manual}, ...)
     * @param operation the operation's label ({@code on}, {@code off}, {@code cycle}, {@code query}, ...)
     * @param result    {@code success}, or the failure's kind in lower case ({@code connection},
     *                  {@code authentication}, {@code action}, ...)
     */
    void powerOperation(String driver, String operation, String result);
}
