/**
 * The filesystem blob store ({@code BlobStore} with {@code metalforge.store.backend=fs}): image bytes content
 * addressed by sha256, verified, fsync'd and atomically renamed; resumable partial uploads; garbage collection with
 * pins and a grace period. Configuration PID {@code io.metalforge.store.fs}.
 */
package io.metalforge.store.fs.internal;
