package io.metalforge.simplestreams.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** URL rules of boot sources: trailing "/" stripped, the retired daily stream treated as stable. */
final class BootSourceUrls {

    static final String STABLE = "http://images.maas.io/ephemeral-v3/stable";
    static final String CANDIDATE = "http://images.maas.io/ephemeral-v3/candidate";
    static final String DAILY_SUFFIX = "/ephemeral-v3/daily";

    private BootSourceUrls() {
    }

    /** Strips trailing slashes and rewrites the daily stream to stable, as images.maas.io redirects it. */
    static String normalise(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        int daily = u.indexOf(DAILY_SUFFIX);
        if (daily >= 0 && (u.length() == daily + DAILY_SUFFIX.length() || u.charAt(daily + DAILY_SUFFIX.length()) == '/')) {
            u = u.substring(0, daily) + "/ephemeral-v3/stable" + u.substring(daily + DAILY_SUFFIX.length());
        }
        return u;
    }

    /**
     * Checks an URL a client gives: absolute http, https or file (SimpleStreams), or {@code TYPE+SCHEME:...} for a
     * source of another type (a vendor's {@code ImageStreamSource}, e.g. {@code imagedir+http://host/images}).
     */
    static String validate(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("This field is required.");
        }
        String u = normalise(url);
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean vendor = scheme.matches("[a-z][a-z0-9.-]*\\+[a-z][a-z0-9.+-]*");
            if (!(vendor || scheme.equals("http") || scheme.equals("https") || scheme.equals("file"))) {
                throw new IllegalArgumentException("Enter a valid URL (http, https or file).");
            }
            if (!vendor && !scheme.equals("file") && (uri.getHost() == null || uri.getHost().isEmpty())) {
                throw new IllegalArgumentException("Enter a valid URL.");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Enter a valid URL.");
        }
        if (u.length() > 1024) {
            throw new IllegalArgumentException("Ensure this value has at most 1024 characters.");
        }
        return u;
    }
}
