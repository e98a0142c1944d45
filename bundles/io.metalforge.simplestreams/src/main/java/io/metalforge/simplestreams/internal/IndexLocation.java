package io.metalforge.simplestreams.internal;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where a source's index is and which base URL its paths are relative to (spec §1.2): an URL ending in
 * {@code streams/v1/*.json|sjson} is the index itself; otherwise the signed default {@code streams/v1/index.sjson}
 * below it is used.
 *
 * @param index      the index file
 * @param mirrorRoot the base URL, ending with "/"
 */
record IndexLocation(URI index, URI mirrorRoot) {

    private static final Pattern EXPLICIT_INDEX = Pattern.compile("^(.*/)?streams/v1/[^/]+\\.(sjson|json)$");
    static final String DEFAULT_INDEX = "streams/v1/index.sjson";

    static IndexLocation of(String url) {
        String u = BootSourceUrls.normalise(url);
        var m = EXPLICIT_INDEX.matcher(u);
        if (m.matches()) {
            String root = m.group(1) == null ? "" : m.group(1);
            return new IndexLocation(URI.create(u), URI.create(root));
        }
        return new IndexLocation(URI.create(u + "/" + DEFAULT_INDEX), URI.create(u + "/"));
    }
}
