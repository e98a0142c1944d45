/**
 * The MAAS API 2.0 under {@code /MAAS/api/2.0/} and the v3 API under {@code /MAAS/a/v3/}: the dispatchers over the
 * {@code ApiHandler} and {@code ApiOperations} whiteboard, {@code describe/}, OAuth 1.0a PLAINTEXT, form decoding as
 * the maas CLI and Go clients send it; the servlet under {@code /MAAS/metadata/} that serves the handlers registered
 * with {@code metalforge.api=metadata}; users and API keys ({@code metalforge:createadmin}, {@code apikey},
 * {@code users}) and node keys. Configuration PID {@code io.metalforge.http}.
 */
package io.metalforge.http.internal;
