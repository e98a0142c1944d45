/**
 * The read-only boot TFTP server (UDP port 69 by default; RFC 1350 with blksize, tsize, timeout and windowsize):
 * it owns that socket and its transfers, and serves what {@code BootFiles} answers, as the boot HTTP server does.
 * Configuration PID {@code io.metalforge.boot.tftp}.
 */
package io.metalforge.boot.tftp.internal;
