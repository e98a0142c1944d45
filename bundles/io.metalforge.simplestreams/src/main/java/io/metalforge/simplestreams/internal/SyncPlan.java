package io.metalforge.simplestreams.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.metalforge.api.source.ProductShape;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.source.StreamItem;
import io.metalforge.api.source.StreamProduct;
import io.metalforge.api.source.StreamVersion;

/**
 * What a sync should hold (spec §1.5, §1.6): for each (os, release, arch) the selection of the highest-priority
 * enabled source wins; matching products contribute their latest version only; bootloaders come from a fixed
 * list regardless of selections; manifests and unknown item types are never downloaded.
 */
final class SyncPlan {

    /** One set to make available: a resource and the files of its latest version. */
    record PlannedSet(SyncedState.Resource resource, String version, String label, URI mirrorRoot,
            List<StreamItem> files) {
    }

    private static final Pattern MULTI_FILE_NAME = Pattern.compile(".*:v([23]|3\\+platform):.*");
    private static final Pattern BOOTLOADER_NAME = Pattern.compile(".*:1:.*");
    private static final Set<String> SUPPORTED_BOOTLOADERS = Set.of("pxe/pxelinux/i386", "uefi/grub-efi-signed/amd64",
            "uefi/grub-efi/arm64", "open-firmware/grub-ieee1275/ppc64el");

    /** A source that was read, with its selections. */
    record ReadSource(BootSource source, StreamCatalogue catalogue, List<Selection> selections) {
    }

    final List<PlannedSet> sets = new ArrayList<>();

    /**
     * @param sources sources whose catalogue was read, any order
     */
    static SyncPlan of(List<ReadSource> sources) {
        SyncPlan plan = new SyncPlan();
        List<ReadSource> byPriority = new ArrayList<>(sources);
        byPriority.sort((a, b) -> Integer.compare(b.source().priority(), a.source().priority()));
        Set<String> claimed = new LinkedHashSet<>();
        Map<String, PlannedSet> bootloaders = new LinkedHashMap<>();
        for (ReadSource rs : byPriority) {
            // triples this source's selections ask for, unless a higher-priority source already has them
            Map<String, Selection> triples = new HashMap<>();
            for (Selection sel : rs.selections()) {
                for (String arch : arches(rs.catalogue(), sel)) {
                    String triple = sel.os() + "/" + sel.release() + "/" + arch;
                    if (!claimed.contains(triple)) {
                        triples.putIfAbsent(triple, sel);
                    }
                }
            }
            claimed.addAll(triples.keySet());
            for (StreamProduct p : rs.catalogue().products()) {
                StreamVersion latest = p.latestVersion().orElse(null);
                if (latest == null) {
                    continue;
                }
                if (p.shape() == ProductShape.BOOTLOADER) {
                    String kind = p.attribute("bootloader-type") + "/" + p.os() + "/" + p.arch();
                    if (BOOTLOADER_NAME.matcher(p.name()).matches() && SUPPORTED_BOOTLOADERS.contains(kind)
                            && !bootloaders.containsKey(kind)) {
                        bootloaders.put(kind, planned(rs, p, latest, null));
                    }
                    continue;
                }
                if (p.shape() == ProductShape.MULTI_FILE && !MULTI_FILE_NAME.matcher(p.name()).matches()) {
                    continue;
                }
                Selection sel = triples.get(p.os() + "/" + p.release() + "/" + p.arch());
                if (sel != null) {
                    plan.sets.add(planned(rs, p, latest, sel));
                }
            }
        }
        plan.sets.addAll(bootloaders.values());
        return plan;
    }

    private static List<String> arches(StreamCatalogue c, Selection sel) {
        if (!sel.allArches()) {
            return sel.arches();
        }
        Set<String> arches = new LinkedHashSet<>();
        for (StreamProduct p : c.products()) {
            if (p.shape() != ProductShape.BOOTLOADER && p.os().equals(sel.os()) && p.release().equals(sel.release())) {
                arches.add(p.arch());
            }
        }
        return List.copyOf(arches);
    }

    private static PlannedSet planned(ReadSource rs, StreamProduct p, StreamVersion v, Selection sel) {
        List<StreamItem> files = new ArrayList<>();
        boolean hasSquashfs = v.items().values().stream().anyMatch(i -> i.ftype().equals("squashfs"));
        for (StreamItem item : v.items().values()) {
            String t = item.ftype();
            boolean wanted = switch (p.shape()) {
                case MULTI_FILE -> t.equals("boot-kernel") || t.equals("boot-initrd") || t.equals("squashfs")
                        || t.equals("root-image.gz") && !hasSquashfs; // squashfs supersedes root-image.gz
                case SINGLE_FILE -> t.equals("root-tgz");
                case BOOTLOADER -> t.equals("archive.tar.xz");
            };
            if (wanted) {
                files.add(item);
            }
        }
        Map<String, String> extra = new LinkedHashMap<>();
        SyncedState.Resource r;
        if (p.shape() == ProductShape.BOOTLOADER) {
            r = new SyncedState.Resource(0, p.os() + "/" + p.attribute("bootloader-type"), p.arch() + "/generic", null,
                    "bootloader", p.attribute("bootloader-type"), extra, rs.source().id(), "", new java.util.TreeMap<>());
        } else {
            String kflavor = p.shape() == ProductShape.SINGLE_FILE || p.attribute("kflavor").isEmpty() ? "generic"
                    : p.attribute("kflavor");
            String subarch = p.attribute("subarch").isEmpty() ? "generic" : p.attribute("subarch");
            extra.put("subarches", p.attribute("subarches").isEmpty() ? subarch : p.attribute("subarches"));
            String title = p.attribute("release_title");
            if (!title.isEmpty()) {
                extra.put("title", title);
            }
            r = new SyncedState.Resource(0, p.os() + "/" + p.release(), p.arch() + "/" + subarchWithFlavor(subarch,
                    kflavor), p.os() + "/" + p.attribute("version"), kflavor, null, extra, rs.source().id(),
                    rs.source().id() + ":" + sel.os() + "/" + sel.release() + "/" + p.arch(), new java.util.TreeMap<>());
        }
        return new PlannedSet(r, v.name(), p.label(), rs.catalogue().mirrorRoot(), files);
    }

    /** hwe-22.04 + lowlatency → hwe-22.04-lowlatency; hwe-22.04-edge + lowlatency → hwe-22.04-lowlatency-edge. */
    static String subarchWithFlavor(String subarch, String kflavor) {
        if (kflavor.equals("generic") || kflavor.equals(subarch)
                || !(subarch.contains("hwe-") || subarch.contains("ga-"))) {
            return subarch;
        }
        if (subarch.endsWith("-edge")) {
            return subarch.substring(0, subarch.length() - 5) + "-" + kflavor + "-edge";
        }
        return subarch + "-" + kflavor;
    }
}
