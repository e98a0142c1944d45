package io.metalforge.simplestreams.internal;

import java.util.List;

/** A boot source selection (MAAS legacy v2 form): os, release and arches, with "*" as wildcard. */
record Selection(long id, long bootSourceId, String os, String release, List<String> arches, List<String> subarches,
        List<String> labels) {

    Selection {
        arches = arches == null || arches.isEmpty() ? List.of("*") : List.copyOf(arches);
        subarches = subarches == null || subarches.isEmpty() ? List.of("*") : List.copyOf(subarches);
        labels = labels == null || labels.isEmpty() ? List.of("*") : List.copyOf(labels);
    }

    boolean allArches() {
        return arches.contains("*");
    }
}
