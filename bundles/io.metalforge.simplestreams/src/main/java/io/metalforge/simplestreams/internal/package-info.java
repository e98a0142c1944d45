/**
 * Image sync: the SimpleStreams image source ({@code ImageStreamSource} for {@code http}, {@code https} and
 * {@code file} URLs, OpenPGP-verified), boot sources and their selections, the sync engine that reads every boot
 * source through the source registered for it, and the import operations of {@code boot-resources/}; the shell
 * commands for boot sources, selections and imports. Configuration PID {@code io.metalforge.simplestreams}.
 */
package io.metalforge.simplestreams.internal;
