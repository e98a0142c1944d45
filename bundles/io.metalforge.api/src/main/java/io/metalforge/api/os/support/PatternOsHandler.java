package io.metalforge.api.os.support;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OS family whose releases follow a naming pattern (centos70, rhel9, ol8, sles15.4, ...). A release is
 * supported when it matches; its title comes from the match; error messages show {@code releaseHint}.
 */
public abstract class PatternOsHandler extends BasicOsHandler {

    private final Pattern releases;
    private final Function<Matcher, String> titleOf;
    private final String releaseHint;

    /**
     * @param releaseHint what a valid release looks like, for error messages, e.g.
     *                    "rhel<major>[.<minor>] or <major>[.<minor>], e.g. rhel9, rhel8.8"
     */
    protected PatternOsHandler(OsDescription description, Pattern releases, Function<Matcher, String> titleOf,
            String releaseHint) {
        super(description);
        this.releases = releases;
        this.titleOf = titleOf;
        this.releaseHint = releaseHint;
    }

    @Override
    public String validReleases() {
        return releaseHint;
    }

    @Override
    public final boolean isReleaseSupported(String release) {
        return release != null && releases.matcher(release).matches();
    }

    @Override
    public final String releaseTitle(String release) {
        if (release == null) {
            return "";
        }
        Matcher m = releases.matcher(release);
        return m.matches() ? titleOf.apply(m) : release;
    }

    /**
     * Titles "{product} {major}[.{minor}]" from the groups "major" and "minor", or the release's own title from the
     * group "title" (the "-Title" suffix of an uploaded release name) when present.
     */
    protected static Function<Matcher, String> versionTitle(String product) {
        return m -> {
            String title = group(m, "title");
            String minor = group(m, "minor");
            return !title.isEmpty() ? title : product + " " + m.group("major") + (minor.isEmpty() ? "" : "." + minor);
        };
    }

    /** The named group, or "" when it did not take part in the match. */
    protected static String group(Matcher m, String name) {
        String g = m.group(name);
        return g == null ? "" : g;
    }
}
