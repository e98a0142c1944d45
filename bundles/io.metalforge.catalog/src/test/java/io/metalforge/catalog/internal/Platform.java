package io.metalforge.catalog.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.db.Database;
import io.metalforge.api.os.TestOsHandlerRegistry;
import io.metalforge.inspect.internal.ImageDoctorImpl;
import io.metalforge.inspect.internal.Limits;
import io.metalforge.os.centos.internal.CentosOsHandler;
import io.metalforge.os.custom.internal.CustomOsHandler;
import io.metalforge.os.esxi.internal.EsxiOsHandler;
import io.metalforge.os.ol.internal.OracleLinuxOsHandler;
import io.metalforge.os.rhel.internal.RhelOsHandler;
import io.metalforge.os.suse.internal.SuseOsHandler;
import io.metalforge.os.ubuntu.internal.UbuntuOsHandler;
import io.metalforge.os.windows.internal.WindowsOsHandler;
import io.metalforge.store.fs.internal.FsBlobStore;

/**
 * The catalog's collaborators as the distribution wires them: the real filesystem store, the real doctor and an
 * embedded database, all under one folder. A new instance over the same folder is a platform restart.
 */
public final class Platform {

    public final Path folder;
    public final Database database;
    public final FsBlobStore store;
    public final CatalogService catalog;
    public final UploadService uploads;
    public final BootResourcesHandler resources;
    public final BootResourceHandler resource;
    public final BootResourceFileUploadHandler upload;
    public final CustomImagesV3Handler customImages;
    /** The OS bundles of the distribution; tests add or remove one as hot deployment does. */
    public final TestOsHandlerRegistry oses = new TestOsHandlerRegistry(new UbuntuOsHandler(), new CustomOsHandler(),
            new CentosOsHandler(), new RhelOsHandler(), new OracleLinuxOsHandler(), new SuseOsHandler(),
            new WindowsOsHandler(), new EsxiOsHandler());

    public Platform(Path folder) throws IOException, SQLException {
        this(folder, 0);
    }

    public Platform(Path folder, long quota) throws IOException, SQLException {
        this(folder, quota, false);
    }

    /** @param syncedArchitecturesOnly the MAAS rule: only architectures of synced images are usable */
    public Platform(Path folder, long quota, boolean syncedArchitecturesOnly) throws IOException, SQLException {
        this(folder, quota, new H2TestDatabase(folder), syncedArchitecturesOnly);
    }

    /** The same over another database (the platform's own service on PostgreSQL, say). */
    public Platform(Path folder, long quota, Database database) throws IOException, SQLException {
        this(folder, quota, database, false);
    }

    private Platform(Path folder, long quota, Database database, boolean syncedArchitecturesOnly)
            throws IOException, SQLException {
        this.folder = folder;
        this.store = FsBlobStore.create(folder.resolve("blobs"), 0, quota);
        this.database = database;
        this.catalog = new CatalogService(database, store);
        this.uploads = new UploadService(catalog, store, new ImageDoctorImpl(Limits.DEFAULTS, oses), oses,
                "ubuntu/noble", List.of(), syncedArchitecturesOnly);
        this.resources = new BootResourcesHandler(uploads);
        this.resource = new BootResourceHandler(catalog);
        this.upload = new BootResourceFileUploadHandler(uploads);
        this.customImages = new CustomImagesV3Handler(uploads);
    }

    /** A synced Ubuntu noble amd64 image with kernel, initrd and squashfs: makes amd64/generic usable. */
    public BootResource syncUbuntu() throws IOException {
        BootResource r = catalog.findOrCreate(new NewBootResource(ResourceType.SYNCED, "ubuntu/noble", "amd64/ga-24.04",
                "ubuntu/24.04", "", "", "generic", false, Map.of("subarches", "generic,hwe-p,hwe-24.04,ga-24.04")));
        BootResourceSet set = catalog.createSet(r.id(), "20250718", "stable");
        for (String type : List.of("boot-kernel", "boot-initrd", "squashfs")) {
            byte[] content = ("synced " + type).getBytes(StandardCharsets.UTF_8);
            String sha;
            try {
                sha = Images.sha256(content);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            store.write(sha, content.length, new ByteArrayInputStream(content));
            catalog.addFile(set.id(), type, type, sha, content.length, Map.of());
        }
        return r;
    }
}
