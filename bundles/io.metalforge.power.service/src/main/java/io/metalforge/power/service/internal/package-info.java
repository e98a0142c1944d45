/**
 * The {@code PowerService}: BMC settings per machine (in the platform database) and power operations with MAAS's
 * wait-and-query behaviour, on a bounded pool with one operation at a time per BMC; the power API handlers and the
 * shell commands {@code metalforge:power}, {@code powerbmc} and {@code powerdrivers}. Configuration PID
 * {@code io.metalforge.power.service}.
 */
package io.metalforge.power.service.internal;
