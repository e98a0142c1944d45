package io.metalforge.platform.internal;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverRegistry;

/** Whiteboard of {@link PowerDriver} services. */
@Component(service = PowerDriverRegistry.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class PowerDriverRegistryImpl extends ExtensionRegistrySupport<PowerDriver> implements PowerDriverRegistry {

    public PowerDriverRegistryImpl() {
        super(ExtensionFamily.POWER_DRIVER, PowerDriver.PROPERTY_NAME, d -> d.descriptor().name(), d -> d.descriptor().description());
    }

    @Reference(service = PowerDriver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addExtension(ComponentServiceObjects<PowerDriver> objects) {
        add(objects);
    }

    void removeExtension(ComponentServiceObjects<PowerDriver> objects) {
        remove(objects);
    }
}
