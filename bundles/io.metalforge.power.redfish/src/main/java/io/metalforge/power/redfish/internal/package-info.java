/**
 * MAAS's Redfish power driver ({@code metalforge.power.driver=redfish}): DMTF Redfish over HTTPS with system
 * discovery, ETags, settings objects and Reset actions. Configuration PID {@code io.metalforge.power.redfish}.
 */
package io.metalforge.power.redfish.internal;
