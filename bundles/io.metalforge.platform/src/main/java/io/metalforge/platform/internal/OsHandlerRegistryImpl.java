package io.metalforge.platform.internal;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;

/** Whiteboard of {@link OsHandler} services. */
@Component(service = OsHandlerRegistry.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class OsHandlerRegistryImpl extends ExtensionRegistrySupport<OsHandler> implements OsHandlerRegistry {

    public OsHandlerRegistryImpl() {
        super(ExtensionFamily.OS_HANDLER, OsHandler.PROPERTY_NAME, OsHandler::name, OsHandler::title);
    }

    @Reference(service = OsHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addExtension(ComponentServiceObjects<OsHandler> objects) {
        add(objects);
    }

    void removeExtension(ComponentServiceObjects<OsHandler> objects) {
        remove(objects);
    }
}
