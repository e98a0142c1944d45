package io.metalforge.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.metalforge.api.http.FormFile;

/** A decoded form: text fields (repeated keys keep every value in order) and file parts spooled to disk. */
final class Form implements AutoCloseable {

    static final Form EMPTY = new Form();

    private final Map<String, List<String>> fields = new LinkedHashMap<>();
    private final List<FormFile> files = new ArrayList<>();

    static Form of(Map<String, List<String>> fields) {
        Form form = new Form();
        fields.forEach((k, values) -> values.forEach(v -> form.addField(k, v)));
        return form;
    }

    void addField(String name, String value) {
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    void addFile(SpooledFile file) {
        files.add(file);
    }

    Map<String, List<String>> fields() {
        return fields;
    }

    List<FormFile> files() {
        return files;
    }

    /** Deletes the spooled files. */
    @Override
    public void close() {
        for (FormFile f : files) {
            ((SpooledFile) f).delete();
        }
    }

    /** A file part held in a temporary file that the request's end deletes. */
    record SpooledFile(String name, String filename, String contentType, long size, Path path) implements FormFile {

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        void delete() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                path.toFile().deleteOnExit();
            }
        }
    }
}
