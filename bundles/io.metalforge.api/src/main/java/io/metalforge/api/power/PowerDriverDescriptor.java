package io.metalforge.api.power;

import java.util.List;

/**
 * What a power driver is and which settings it takes (MAAS power type schema).
 *
 * @param name        identifying name, e.g. "ipmi"
 * @param description human description, e.g. "IPMI"
 * @param chassis     whether one BMC controls many machines
 * @param canProbe    whether the driver can discover machines behind a chassis
 * @param queryable   whether the power state can be queried
 * @param fields      the settings, in display order
 */
public record PowerDriverDescriptor(String name, String description, boolean chassis, boolean canProbe,
        boolean queryable, List<PowerField> fields) {

    public PowerDriverDescriptor {
        fields = List.copyOf(fields);
    }
}
