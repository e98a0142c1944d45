package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Boot sources and selections in one durable JSON file, for installations without the database service. */
final class JsonBootSourceRepository implements BootSourceRepository {

    /** The file's content. */
    record Content(long nextId, List<BootSource> sources, List<Selection> selections) {
        Content {
            sources = sources == null ? new ArrayList<>() : new ArrayList<>(sources);
            selections = selections == null ? new ArrayList<>() : new ArrayList<>(selections);
        }
    }

    private final Path file;
    private Content content;

    JsonBootSourceRepository(Path file) throws IOException {
        this.file = file;
        this.content = JsonFiles.read(file, Content.class, new Content(1, List.of(), List.of()));
    }

    @Override
    public synchronized List<BootSource> sources() {
        return content.sources().stream().sorted(Comparator.comparingLong(BootSource::id)).toList();
    }

    @Override
    public synchronized Optional<BootSource> source(long id) {
        return content.sources().stream().filter(s -> s.id() == id).findFirst();
    }

    @Override
    public synchronized BootSource save(BootSource s) throws IOException {
        List<BootSource> sources = new ArrayList<>(content.sources());
        long next = content.nextId();
        if (s.id() == 0) {
            s = new BootSource(next++, s.name(), s.url(), s.priority(), s.enabled(), s.keyringFilename(),
                    s.keyringData(), s.skipKeyringVerification(), s.created(), s.updated());
        } else {
            long id = s.id();
            sources.removeIf(x -> x.id() == id);
        }
        sources.add(s);
        commit(new Content(next, sources, content.selections()));
        return s;
    }

    @Override
    public synchronized boolean delete(long id) throws IOException {
        List<BootSource> sources = new ArrayList<>(content.sources());
        if (!sources.removeIf(x -> x.id() == id)) {
            return false;
        }
        List<Selection> selections = new ArrayList<>(content.selections());
        selections.removeIf(x -> x.bootSourceId() == id);
        commit(new Content(content.nextId(), sources, selections));
        return true;
    }

    @Override
    public synchronized List<Selection> selections(long sourceId) {
        return content.selections().stream().filter(s -> s.bootSourceId() == sourceId)
                .sorted(Comparator.comparingLong(Selection::id)).toList();
    }

    @Override
    public synchronized Selection save(Selection s) throws IOException {
        List<Selection> selections = new ArrayList<>(content.selections());
        long next = content.nextId();
        if (s.id() == 0) {
            s = new Selection(next++, s.bootSourceId(), s.os(), s.release(), s.arches(), s.subarches(), s.labels());
        } else {
            long id = s.id();
            selections.removeIf(x -> x.id() == id);
        }
        selections.add(s);
        commit(new Content(next, content.sources(), selections));
        return s;
    }

    @Override
    public synchronized boolean deleteSelection(long sourceId, long id) throws IOException {
        List<Selection> selections = new ArrayList<>(content.selections());
        if (!selections.removeIf(x -> x.id() == id && x.bootSourceId() == sourceId)) {
            return false;
        }
        commit(new Content(content.nextId(), content.sources(), selections));
        return true;
    }

    private void commit(Content next) throws IOException {
        JsonFiles.write(file, next);
        content = next;
    }
}
