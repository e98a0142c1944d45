package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The synced boot resources: only complete, verified sets are ever written here, so whatever a crash interrupts
 * stays invisible. Kept in one durable JSON file replaced atomically.
 */
final class SyncedState {

    record File(String filename, String filetype, String sha256, long size, Map<String, String> extra) {
    }

    record Set_(String version, String label, Map<String, File> files) {
        long size() {
            return files.values().stream().mapToLong(File::size).sum();
        }
    }

    /**
     * A synced boot resource, keyed by (name, architecture, alias).
     *
     * @param selectionKey "sourceId:os/release/arch" of the selection it came from, "" for bootloaders
     */
    record Resource(long id, String name, String architecture, String alias, String kflavor, String bootloaderType,
            Map<String, String> extra, long sourceId, String selectionKey, TreeMap<String, Set_> sets) {

        String key() {
            return name + "|" + architecture + "|" + (alias == null ? "" : alias);
        }

        Optional<Set_> latest() {
            return sets.isEmpty() ? Optional.empty() : Optional.of(sets.lastEntry().getValue());
        }
    }

    /** The file's content; {@code ownedBlobs} are the sha256 the sync itself stored (it may delete only those). */
    record Content(long nextId, List<Resource> resources, TreeSet<String> ownedBlobs) {
        Content {
            resources = resources == null ? List.of() : List.copyOf(resources);
            ownedBlobs = ownedBlobs == null ? new TreeSet<>() : new TreeSet<>(ownedBlobs);
        }
    }

    private final Path file;
    private volatile Content content;

    SyncedState(Path file) throws IOException {
        this.file = file;
        this.content = JsonFiles.read(file, Content.class, new Content(1, List.of(), null));
    }

    List<Resource> resources() {
        return content.resources();
    }

    Optional<Resource> resource(long id) {
        return content.resources().stream().filter(r -> r.id() == id).findFirst();
    }

    Set<String> ownedBlobs() {
        return Set.copyOf(content.ownedBlobs());
    }

    /** Every sha256 a synced set references. */
    Set<String> referencedBlobs() {
        Set<String> all = new HashSet<>();
        for (Resource r : content.resources()) {
            r.sets().values().forEach(s -> s.files().values().forEach(f -> all.add(f.sha256())));
        }
        return all;
    }

    /** Applies a change to a copy of the content and makes it durable in one step. */
    synchronized void update(java.util.function.UnaryOperator<Content> change) throws IOException {
        Content next = change.apply(content);
        JsonFiles.write(file, next);
        content = next;
    }

    /** Publishes a complete set for a resource (created when new); keeps only that newest complete set. */
    static Content publish(Content c, Resource template, Set_ set, Set<String> downloaded) {
        List<Resource> resources = new ArrayList<>();
        long nextId = c.nextId();
        boolean found = false;
        for (Resource r : c.resources()) {
            if (r.key().equals(template.key())) {
                found = true;
                TreeMap<String, Set_> sets = new TreeMap<>();
                sets.put(set.version(), set);
                resources.add(new Resource(r.id(), r.name(), r.architecture(), r.alias(), template.kflavor(),
                        template.bootloaderType(), template.extra(), template.sourceId(), template.selectionKey(), sets));
            } else {
                resources.add(r);
            }
        }
        if (!found) {
            TreeMap<String, Set_> sets = new TreeMap<>();
            sets.put(set.version(), set);
            resources.add(new Resource(nextId++, template.name(), template.architecture(), template.alias(),
                    template.kflavor(), template.bootloaderType(), template.extra(), template.sourceId(),
                    template.selectionKey(), sets));
        }
        TreeSet<String> owned = new TreeSet<>(c.ownedBlobs());
        owned.addAll(downloaded);
        return new Content(nextId, resources, owned);
    }
}
