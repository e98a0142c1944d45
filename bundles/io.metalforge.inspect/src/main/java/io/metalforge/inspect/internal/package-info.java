/**
 * The image doctor ({@code ImageDoctor}): format detection by magic bytes and structure, and streaming
 * inspection of root tarballs and disk images, bounded against hostile input; nothing is extracted. Configuration PID
 * {@code io.metalforge.inspect}.
 */
package io.metalforge.inspect.internal;
