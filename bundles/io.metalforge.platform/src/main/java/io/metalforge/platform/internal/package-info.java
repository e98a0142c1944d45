/**
 * The platform itself: the registry of each extension family (image sources, OS handlers, blob stores, power
 * drivers) over the service registry, the data and deploy folders ({@code PlatformDirectories}), the shared
 * executor ({@code PlatformExecutor}, PID {@code io.metalforge.platform.executor}), the console, log routing (PID
 * {@code io.metalforge.platform.log}), the start-up report and the shell commands {@code metalforge:extensions},
 * {@code log} and {@code exit}.
 */
package io.metalforge.platform.internal;
