package io.metalforge.boot.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceCatalog;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;

/**
 * Chooses the kernel, initrd and root filesystem of the ephemeral environment a machine boots to install (or
 * enlist), as MAAS does: the resource named {@code os/release} for the machine's architecture (for a custom image the
 * caller passes its base image's release), the machine's subarchitecture when there is one, else "generic", else the
 * newest hwe-/ga- kernel; the newest complete set of it.
 */
final class EphemeralImages {

    /** Paths under /images/ ("&lt;short sha&gt;/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel"). */
    record Ephemeral(String kernelPath, String initrdPath, String rootPath, boolean tarRoot) {
    }

    private final BootResourceCatalog catalog;

    EphemeralImages(BootResourceCatalog catalog) {
        this.catalog = catalog;
    }

    Optional<Ephemeral> choose(String os, String release, String arch, String subarch) {
        if (os.isEmpty() || release.isEmpty() || arch.isEmpty()) {
            return Optional.empty();
        }
        String name = os + "/" + release;
        List<BootResource> candidates = new ArrayList<>();
        for (BootResource r : catalog.resources(Optional.empty())) {
            if (r.name().equals(name) && r.arch().equals(arch) && r.bootloaderType().isEmpty()) {
                candidates.add(r);
            }
        }
        candidates.sort(Comparator.comparingInt((BootResource r) -> rank(r.subarch(), subarch))
                .thenComparing(BootResource::subarch, Comparator.reverseOrder()));
        for (BootResource r : candidates) {
            Optional<Ephemeral> e = newestComplete(r, os, release);
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    private static int rank(String have, String want) {
        if (!want.isEmpty() && have.equals(want)) {
            return 0;
        }
        return have.equals("generic") ? 1 : 2;
    }

    private Optional<Ephemeral> newestComplete(BootResource r, String os, String release) {
        List<BootResourceSet> sets = catalog.sets(r.id());
        for (int i = sets.size() - 1; i >= 0; i--) {
            BootResourceSet set = sets.get(i);
            if (!catalog.isComplete(set.id())) {
                continue;
            }
            String kernel = null;
            String initrd = null;
            String root = null;
            boolean tar = false;
            for (BootResourceFile f : catalog.files(set.id())) {
                String path = String.join("/", f.filenameOnDisk(), os, r.arch(), r.subarch(), release, set.label(),
                        f.filename());
                switch (f.filetype()) {
                case "boot-kernel" -> kernel = path;
                case "boot-initrd" -> initrd = path;
                case "squashfs" -> root = path;
                case "root-tgz", "root-txz" -> {
                    if (root == null) {
                        root = path;
                        tar = true;
                    }
                }
                default -> {
                }
                }
            }
            if (kernel != null && initrd != null) {
                return Optional.of(new Ephemeral(kernel, initrd, root == null ? "" : root, tar));
            }
        }
        return Optional.empty();
    }
}
