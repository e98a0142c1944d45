package io.metalforge.platform.internal;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.source.ImageStreamSource;
import io.metalforge.api.source.ImageStreamSourceRegistry;

/** Whiteboard of {@link ImageStreamSource} services. */
@Component(service = ImageStreamSourceRegistry.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class ImageStreamSourceRegistryImpl extends ExtensionRegistrySupport<ImageStreamSource> implements ImageStreamSourceRegistry {

    public ImageStreamSourceRegistryImpl() {
        super(ExtensionFamily.IMAGE_SOURCE, ImageStreamSource.PROPERTY_TYPE, ImageStreamSource::type,
                ImageStreamSource::type);
    }

    @Reference(service = ImageStreamSource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addExtension(ComponentServiceObjects<ImageStreamSource> objects) {
        add(objects);
    }

    void removeExtension(ComponentServiceObjects<ImageStreamSource> objects) {
        remove(objects);
    }
}
