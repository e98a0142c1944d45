/**
 * Boot resources, their sets and files in the platform database ({@code BootResourceCatalog}), and custom image
 * upload as MAAS does it: validation against the OS handlers' facts, chunked resumable upload (API 2.0) and the
 * single-request upload (v3), with the image doctor's report. It owns the {@code boot-resources/} API handlers and
 * the shell commands {@code metalforge:upload}, {@code resume}, {@code inspect} and {@code images}. Configuration
 * PIDs {@code io.metalforge.catalog.upload} and {@code io.metalforge.catalog.storage}.
 */
package io.metalforge.catalog.internal;
