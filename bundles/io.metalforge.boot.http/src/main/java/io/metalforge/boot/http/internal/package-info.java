/**
 * The boot HTTP server (port 5248 by default), a listener of its own apart from the API's: it owns that socket
 * and its protocol (sendfile, HEAD, single ranges, ETag, Last-Modified) and serves what {@code BootFiles} answers,
 * forwarding {@code /MAAS/} to the API. Configuration PID {@code io.metalforge.boot.http}.
 */
package io.metalforge.boot.http.internal;
