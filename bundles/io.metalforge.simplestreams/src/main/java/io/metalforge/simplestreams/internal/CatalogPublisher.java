package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.util.Optional;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.ResourceType;

/**
 * Mirrors synced sets into the boot resource catalog, so they list through {@code boot-resources/} like MAAS's.
 * Sets are added only when all their blobs are stored, so every file is complete at once; older sets of the
 * resource are then deleted (the catalog frees blobs nobody references). While a set downloads, its resource may
 * exist without sets (so {@code boot-resources/{id}/} can show the live progress the import overlays); such a
 * resource holds nothing usable and is dropped at the end of the sync if its set did not make it.
 */
final class CatalogPublisher implements SetPublisher {

    private final BootResourceCatalog catalog;

    CatalogPublisher(BootResourceCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void publish(SyncedState.Resource r, SyncedState.Set_ set) throws IOException {
        try {
            BootResource resource = catalog.findOrCreate(newResource(r));
            BootResourceSet current = null;
            for (BootResourceSet s : catalog.sets(resource.id())) {
                if (s.version().equals(set.version()) && matches(s, set)) {
                    current = s;
                }
            }
            if (current == null) {
                // a stale set of the same version (upstream files changed) goes first
                for (BootResourceSet s : catalog.sets(resource.id())) {
                    if (s.version().equals(set.version())) {
                        catalog.deleteSet(s.id());
                    }
                }
                current = catalog.createSet(resource.id(), set.version(), set.label());
                for (SyncedState.File f : set.files().values()) {
                    catalog.addFile(current.id(), f.filename(), f.filetype(), f.sha256(), f.size(), f.extra());
                }
            }
            for (BootResourceSet s : catalog.sets(resource.id())) {
                if (s.id() != current.id()) {
                    catalog.deleteSet(s.id()); // only the newest complete set is kept
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("Cannot publish " + r.name() + " " + r.architecture() + " " + set.version()
                    + " in the catalog: " + e.getMessage(), e);
        }
    }

    private boolean matches(BootResourceSet s, SyncedState.Set_ set) {
        var files = catalog.files(s.id());
        if (files.size() != set.files().size()) {
            return false;
        }
        for (BootResourceFile f : files) {
            SyncedState.File want = set.files().get(f.filename());
            if (want == null || !want.sha256().equals(f.sha256()) || !f.complete()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void prepare(SyncedState.Resource r) throws IOException {
        try {
            catalog.findOrCreate(newResource(r));
        } catch (RuntimeException e) {
            throw new IOException("Cannot register " + r.name() + " " + r.architecture() + " in the catalog: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void dropEmpty() throws IOException {
        try {
            for (BootResource r : catalog.resources(Optional.of(ResourceType.SYNCED))) {
                if (catalog.sets(r.id()).isEmpty()) {
                    catalog.deleteResource(r.id());
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("Cannot clean up the catalog: " + e.getMessage(), e);
        }
    }

    private static NewBootResource newResource(SyncedState.Resource r) {
        return new NewBootResource(ResourceType.SYNCED, r.name(), r.architecture(), r.alias(), "",
                r.bootloaderType(), r.kflavor(), false, r.extra());
    }

    @Override
    public void remove(SyncedState.Resource r) throws IOException {
        try {
            Optional<BootResource> found = catalog.resource(ResourceType.SYNCED, r.name(), r.architecture());
            if (found.isPresent()) {
                catalog.deleteResource(found.get().id());
            }
        } catch (RuntimeException e) {
            throw new IOException("Cannot remove " + r.name() + " " + r.architecture() + " from the catalog: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean references(String sha256) {
        return catalog.isReferenced(sha256);
    }

}
