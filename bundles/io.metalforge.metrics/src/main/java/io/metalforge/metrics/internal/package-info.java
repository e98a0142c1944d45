/**
 * The Prometheus text exposition at {@code /MAAS/metrics} and the {@code MetricsRecorder} the other bundles count
 * into: MAAS's custom image gauges, machines by status, deployments by result.
 */
package io.metalforge.metrics.internal;
