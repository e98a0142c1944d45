package io.metalforge.platform.internal;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.BlobStoreRegistry;

/** Whiteboard of {@link BlobStore} services. */
@Component(service = BlobStoreRegistry.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class BlobStoreRegistryImpl extends ExtensionRegistrySupport<BlobStore> implements BlobStoreRegistry {

    public BlobStoreRegistryImpl() {
        super(ExtensionFamily.BLOB_STORE, BlobStore.PROPERTY_NAME, BlobStore::name, BlobStore::name);
    }

    @Reference(service = BlobStore.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addExtension(ComponentServiceObjects<BlobStore> objects) {
        add(objects);
    }

    void removeExtension(ComponentServiceObjects<BlobStore> objects) {
        remove(objects);
    }
}
