/**
 * The platform's {@code Database} service: embedded H2 by default, PostgreSQL when configured, a connection pool,
 * and the versioned schema migrations every bundle contributes. Configuration PID {@code io.metalforge.db}.
 */
package io.metalforge.db.internal;
