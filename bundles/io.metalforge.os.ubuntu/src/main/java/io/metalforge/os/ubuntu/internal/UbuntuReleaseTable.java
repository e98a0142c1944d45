package io.metalforge.os.ubuntu.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Ubuntu releases known to this bundle, read from {@code ubuntu-releases.csv} (oldest first). */
final class UbuntuReleaseTable {

    static final String RESOURCE = "ubuntu-releases.csv";
    private static final String HEADER = "version,codename,series,created,release,eol,eol_esm";

    private final Map<String, UbuntuRelease> bySeries;

    private UbuntuReleaseTable(Map<String, UbuntuRelease> bySeries) {
        this.bySeries = Collections.unmodifiableMap(bySeries);
    }

    /** The table shipped in this bundle. */
    static UbuntuReleaseTable shipped() {
        try (InputStream in = UbuntuReleaseTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundle resource " + RESOURCE + " is missing");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static UbuntuReleaseTable parse(InputStream in) throws IOException {
        Map<String, UbuntuRelease> out = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean header = false;
        int lineNo = 0;
        for (String line; (line = reader.readLine()) != null;) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (!header) {
                if (!line.equals(HEADER)) {
                    throw new IOException("line " + lineNo + ": expected header '" + HEADER + "'");
                }
                header = true;
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 7) {
                throw new IOException("line " + lineNo + ": expected 7 fields, found " + f.length);
            }
            try {
                out.put(f[2], new UbuntuRelease(f[0], f[1], f[2], date(f[3]), date(f[4]), date(f[5]), date(f[6])));
            } catch (DateTimeParseException e) {
                throw new IOException("line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return new UbuntuReleaseTable(out);
    }

    private static LocalDate date(String s) {
        return s.isBlank() ? null : LocalDate.parse(s);
    }

    Optional<UbuntuRelease> find(String series) {
        return series == null ? Optional.empty() : Optional.ofNullable(bySeries.get(series));
    }

    List<UbuntuRelease> all() {
        return new ArrayList<>(bySeries.values());
    }
}
