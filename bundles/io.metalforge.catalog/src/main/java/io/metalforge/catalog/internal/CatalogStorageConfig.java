package io.metalforge.catalog.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Which blob store keeps the bytes of every image (PID {@value CatalogService#STORAGE_PID}). Uploads and the image
 * sync both store through the catalog, so this one setting chooses the store for all of them.
 */
@ObjectClassDefinition(name = "Metalforge image storage")
public @interface CatalogStorageConfig {

    @AttributeDefinition(name = "Blob store", description = "LDAP filter choosing the blob store service from the "
            + "registry by its metalforge.store.backend property, e.g. (metalforge.store.backend=fs). The store must "
            + "keep partial uploads (ResumableBlobStore).")
    String store_target() default CatalogService.DEFAULT_STORE;
}
