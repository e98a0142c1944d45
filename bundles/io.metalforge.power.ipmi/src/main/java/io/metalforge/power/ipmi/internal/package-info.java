/**
 * MAAS's IPMI power driver ({@code metalforge.power.driver=ipmi}): FreeIPMI's ipmipower and ipmi-chassis-config
 * run as processes, their failures classified from their output. Configuration PID {@code io.metalforge.power.ipmi}.
 */
package io.metalforge.power.ipmi.internal;
