package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where boot sources and their selections are kept. */
interface BootSourceRepository {

    List<BootSource> sources() throws IOException;

    Optional<BootSource> source(long id) throws IOException;

    /** Inserts (id 0) or updates a source; returns it with its id. */
    BootSource save(BootSource source) throws IOException;

    /** Deletes a source and its selections. */
    boolean delete(long id) throws IOException;

    List<Selection> selections(long sourceId) throws IOException;

    Selection save(Selection selection) throws IOException;

    boolean deleteSelection(long sourceId, long id) throws IOException;
}
