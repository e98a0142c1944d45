package io.metalforge.boot.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.log.Logger;

import io.metalforge.api.boot.BootMethod;
import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionInfo;
import io.metalforge.api.store.BlobStore;
import io.metalforge.api.store.BlobStoreRegistry;
import io.metalforge.catalog.internal.CatalogService;
import io.metalforge.db.internal.DatabaseService;
import io.metalforge.db.internal.TestDatabases;
import io.metalforge.store.fs.internal.FsBlobStore;

/**
 * The real boot service over the real catalog (embedded H2), the real file blob store and real templates, in a test
 * folder; with an in-memory BootTargets until the machines bundle is there. Shared with the boot servers' tests.
 */
public final class BootFixture implements AutoCloseable {

    public final Path data;
    public final FsBlobStore store;
    public final CatalogService catalog;
    public final InMemoryBootTargets targets = new InMemoryBootTargets();
    public final TemplateFolder templates;
    public final Path bootloaders;
    public final List<String> logLines = RecordingLogger.lines();
    public final BootService service;
    private final DatabaseService database;

    public BootFixture(Path data, String advertised) throws Exception {
        this.data = data;
        this.store = FsBlobStore.create(data.resolve("blobs"), 0, 0);
        this.database = TestDatabases.h2(data);
        this.catalog = new CatalogService(database, store);
        this.templates = new TemplateFolder(data.resolve(TemplateFolder.FOLDER));
        this.bootloaders = Files.createDirectories(data.resolve("bootloaders"));
        Logger logger = RecordingLogger.create(logLines);
        this.service = new BootService(catalog, registry(store), templates, bootloaders,
                data.resolve(BootService.SYNCED_BOOTLOADERS), config(advertised), logger);
        service.setTargets(targets);
    }

    public BootFixture method(BootMethod method) {
        service.addMethod(method);
        return this;
    }

    /** Stores a synced-looking image with these files (filename -> content) and returns its files by filename. */
    public Map<String, BootResourceFile> image(String name, String architecture, String label,
            Map<String, byte[]> files) throws IOException {
        BootResource r = catalog.findOrCreate(new NewBootResource(ResourceType.SYNCED, name, architecture, "", "", "",
                "generic", false, Map.of()));
        BootResourceSet set = catalog.createSet(r.id(), null, label);
        Map<String, BootResourceFile> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String sha = sha256(f.getValue());
            store.write(sha, f.getValue().length, new ByteArrayInputStream(f.getValue()));
            BootResourceFile file = catalog.addFile(set.id(), f.getKey(), f.getKey(), sha, f.getValue().length,
                    Map.of());
            catalog.markComplete(file.id(), null);
            out.put(f.getKey(), catalog.file(file.id()).orElseThrow());
        }
        return out;
    }

    /** Stores a large image file from disk (the blob store renames it in). */
    public BootResourceFile bigImage(String name, String architecture, String filename, Path content, String sha)
            throws IOException {
        BootResource r = catalog.findOrCreate(new NewBootResource(ResourceType.SYNCED, name, architecture, "", "", "",
                "generic", false, Map.of()));
        BootResourceSet set = catalog.createSet(r.id(), null, "stable");
        long size = Files.size(content);
        store.adopt(sha, size, content);
        BootResourceFile file = catalog.addFile(set.id(), filename, filename, sha, size, Map.of());
        catalog.markComplete(file.id(), null);
        return catalog.file(file.id()).orElseThrow();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A registry of the one file store, as the platform's registry would list it. */
    static BlobStoreRegistry registry(BlobStore store) {
        return new BlobStoreRegistry() {
            @Override
            public ExtensionFamily family() {
                return ExtensionFamily.BLOB_STORE;
            }

            @Override
            public List<String> names() {
                return List.of(store.name());
            }

            @Override
            public List<ExtensionInfo> describe() {
                return List.of(new ExtensionInfo(ExtensionFamily.BLOB_STORE, store.name(), "files", "test", "0"));
            }

            @Override
            public Optional<BlobStore> find(String name) {
                return name.equals(store.name()) ? Optional.of(store) : Optional.empty();
            }
        };
    }

    public static BootConfiguration config(String advertised) {
        return new BootConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return BootConfiguration.class;
            }

            @Override
            public String advertised__address() {
                return advertised;
            }

            @Override
            public String bootloader__folder() {
                return "";
            }

            @Override
            public String commissioning__osystem() {
                return "ubuntu";
            }

            @Override
            public String commissioning__distro__series() {
                return "noble";
            }

            @Override
            public int requests__per__mac() {
                return 50;
            }

            @Override
            public int logged__macs() {
                return 100;
            }
        };
    }

    @Override
    public void close() {
        database.close();
    }
}
