package io.metalforge.catalog.internal;

import java.util.Set;

/** Ubuntu series names as distro-info knows them, for base image checks when no ubuntu OS handler is installed. */
final class UbuntuReleases {

    static final Set<String> KNOWN = Set.of("warty", "hoary", "breezy", "dapper", "edgy", "feisty", "gutsy", "hardy",
            "intrepid", "jaunty", "karmic", "lucid", "maverick", "natty", "oneiric", "precise", "quantal", "raring",
            "saucy", "trusty", "utopic", "vivid", "wily", "xenial", "yakkety", "zesty", "artful", "bionic", "cosmic",
            "disco", "eoan", "focal", "groovy", "hirsute", "impish", "jammy", "kinetic", "lunar", "mantic", "noble",
            "oracular", "plucky", "questing", "resolute");

    private UbuntuReleases() {
    }
}
