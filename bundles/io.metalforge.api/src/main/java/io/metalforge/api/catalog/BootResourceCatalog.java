package io.metalforge.api.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.store.ResumableBlobStore;

/**
 * The catalog of boot resources, sets and files, persisted in the platform database. Bytes live in the blob store;
 * a file is complete once its bytes are stored and verified, and a set is usable only when all its files are.
 */
@ProviderType
public interface BootResourceCatalog {

    /** All resources of a type (all when empty), ordered as MAAS lists them. */
    List<BootResource> resources(Optional<ResourceType> type);

    Optional<BootResource> resource(long id);

    Optional<BootResource> resource(ResourceType type, String name, String architecture);

    /** Finds the resource by (type, name, architecture, alias) or creates it. */
    BootResource findOrCreate(NewBootResource resource);

    /**
     * {@link #findOrCreate} for several resources, in the order given (one asked for twice is the same resource):
     * what registering the resources of an import needs, in one transaction where the catalog can, rather than one
     * commit per resource.
     *
     * @since 1.3
     */
    default List<BootResource> findOrCreateAll(List<NewBootResource> resources) {
        List<BootResource> found = new java.util.ArrayList<>(resources.size());
        for (NewBootResource r : resources) {
            found.add(findOrCreate(r));
        }
        return found;
    }

    /** Sets of a resource, oldest first. */
    List<BootResourceSet> sets(long resourceId);

    /**
     * {@link #sets(long)} of several resources at once, by resource id; a resource without sets (or unknown) maps to
     * an empty list. Where the catalog can, one read for all of them (the image sync asks this of every resource it
     * publishes a set in).
     *
     * @since 1.5
     */
    default Map<Long, List<BootResourceSet>> setsOf(java.util.Collection<Long> resourceIds) {
        Map<Long, List<BootResourceSet>> out = new java.util.HashMap<>();
        for (Long id : resourceIds) {
            out.put(id, sets(id));
        }
        return out;
    }

    /** Files of a set, by filename. */
    List<BootResourceFile> files(long setId);

    Optional<BootResourceFile> file(long fileId);

    /** The set holding a file. */
    Optional<BootResourceSet> set(long setId);

    /** Creates a set; with a null version it gets today's "YYYYMMDD", or "YYYYMMDD.N" when taken. */
    BootResourceSet createSet(long resourceId, String version, String label);

    /**
     * Adds a file to a set, giving it its short-sha name. It is complete at once when the blob store already holds
     * its sha256 (content shared with another image).
     */
    BootResourceFile addFile(long setId, String filename, String filetype, String sha256, long size,
            Map<String, String> extra);

    /**
     * Creates a set of {@code version} with all its files in one transaction, as {@link #createSet} and
     * {@link #addFile} for each file would: readers see the set with every file or not at all, and the database
     * commits once rather than once per row (the image sync publishes each synced set this way).
     */
    BootResourceSet createSetWithFiles(long resourceId, String version, String label, List<NewBootResourceFile> files);

    /**
     * {@link #createSetWithFiles} for several sets, in the order given: each set is seen with every file or not at
     * all, and where the catalog can, all of them are created in one transaction (one commit) or none is. The image
     * sync publishes the sets whose files were stored at about the same time this way.
     *
     * @since 1.4
     */
    default List<BootResourceSet> createSetsWithFiles(List<NewBootResourceSet> sets) {
        List<BootResourceSet> made = new java.util.ArrayList<>(sets.size());
        for (NewBootResourceSet s : sets) {
            made.add(createSetWithFiles(s.resourceId(), s.version(), s.label(), s.files()));
        }
        return made;
    }

    /** Marks a file complete (its bytes are stored and verified) and keeps the doctor's report with it. */
    void markComplete(long fileId, ImageReport report);

    /** Whether every file of the set is complete (and it has at least one). */
    boolean isComplete(long setId);

    /** Deletes a resource with its sets and files; blobs nobody references any more are removed. */
    boolean deleteResource(long id);

    /** Deletes a set with its files; blobs nobody references any more are removed. */
    boolean deleteSet(long setId);

    /** Whether any file row references this content. */
    boolean isReferenced(String sha256);

    /**
     * The blob store the catalog keeps the bytes of every image in, chosen by configuration; whoever adds images to
     * the catalog (uploads, the image sync) stores their bytes there.
     *
     * @since 1.1
     */
    ResumableBlobStore blobStore();

    /**
     * The one way image bytes are deleted: removes those of {@code candidates} that no file of the catalog (uploaded
     * or synced) references and that nobody has pinned ({@link ResumableBlobStore#pin}, held by uploads and syncs in
     * flight), decided per blob under the store's pin lock.
     *
     * @return the sha256 values deleted
     * @since 1.1
     */
    List<String> collectGarbage(java.util.Collection<String> candidates);

    /** Data of {@code maas_custom_static_images_uploaded{base_image,file_type}}. */
    List<UploadedImageCount> uploadedCustomImages();

    /**
     * Architectures of resources whose latest complete set can commission (kernel, initrd, squashfs or root image)
     * and install; hwe-/ga- subarches are left out and extra.subarches/platform entries added, as MAAS does.
     */
    List<String> usableArchitectures();

    /**
     * Records that an image was deployed: every resource named {@code name} whose architecture starts with
     * {@code arch} gets {@code last_deployed = when}, as MAAS does when a machine reaches Deployed.
     *
     * @return how many resources were updated
     */
    int markDeployed(String name, String arch, java.time.Instant when);
}
