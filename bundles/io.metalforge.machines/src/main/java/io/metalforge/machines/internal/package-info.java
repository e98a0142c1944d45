/**
 * Machines in the MAAS API 2.0 shapes and their lifecycle (mark_ready, allocate, deploy, release, abort) in the
 * platform database ({@code MachineService}), their events, node tokens, and the boot targets the boot servers read
 * ({@code BootTargets}); the {@code machines/} API handlers and {@code metalforge:machines}. Configuration PID
 * {@code io.metalforge.machines}.
 */
package io.metalforge.machines.internal;
