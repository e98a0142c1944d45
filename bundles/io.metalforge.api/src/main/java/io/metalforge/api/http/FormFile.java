package io.metalforge.api.http;

import java.io.IOException;
import java.io.InputStream;

/** A file part of a multipart form, already decoded, held on disk by the dispatcher (never in memory). */
public interface FormFile {

    /** The form field name. */
    String name();

    /** The filename the client gave, or "". */
    String filename();

    /** Decoded size in bytes. */
    long size();

    /** Opens the decoded content; each call reads from the start. */
    InputStream open() throws IOException;
}
