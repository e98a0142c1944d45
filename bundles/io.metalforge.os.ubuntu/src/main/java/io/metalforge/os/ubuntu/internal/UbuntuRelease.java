package io.metalforge.os.ubuntu.internal;

import java.time.LocalDate;

/** One line of the release table. {@code eolEsm} is null for releases without extended maintenance. */
record UbuntuRelease(String version, String codename, String series, LocalDate created, LocalDate release,
        LocalDate eol, LocalDate eolEsm) {

    boolean lts() {
        return version.endsWith("LTS");
    }

    /** "24.04" for "24.04 LTS". */
    String number() {
        int space = version.indexOf(' ');
        return space < 0 ? version : version.substring(0, space);
    }

    /** distro-info's full name: Ubuntu 24.04 LTS "Noble Numbat". */
    String title() {
        return "Ubuntu " + version + " \"" + codename + "\"";
    }

    boolean esmSupportedOn(LocalDate day) {
        return eolEsm != null && !day.isAfter(eolEsm);
    }
}
