package io.metalforge.simplestreams.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.metalforge.api.source.ImageStreamSource;
import io.metalforge.api.source.ImageStreamSourceRegistry;
import io.metalforge.api.source.StreamSourceException;

/**
 * Chooses the {@link ImageStreamSource} that reads a boot source, by its URL: the first installed source whose
 * {@code supports(url)} says yes (SimpleStreams for {@code http}, {@code https} and {@code file}; a vendor source for
 * its own scheme, such as {@code imagedir+http}). A URL no installed source supports fails with "source type 'X' is
 * not installed", X being the scheme up to its first '+'.
 */
interface SourceResolver {

    /** The source that reads {@code url}. */
    ImageStreamSource resolve(String url) throws StreamSourceException;

    /** The source type a URL asks for: its scheme, up to the first '+' ("imagedir" for "imagedir+http://..."). */
    static String typeOf(String url) {
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? url : url.substring(0, colon).toLowerCase(Locale.ROOT);
        int plus = scheme.indexOf('+');
        return plus < 0 ? scheme : scheme.substring(0, plus);
    }

    /** The answer when nothing installed reads {@code url}. */
    static StreamSourceException notInstalled(String url) {
        return new StreamSourceException("source type '" + typeOf(url) + "' is not installed");
    }

    /** The sources of the registry now (they come and go with their bundles). */
    static SourceResolver of(ImageStreamSourceRegistry registry) {
        return url -> {
            URI uri = parse(url);
            for (String name : registry.names()) {
                Optional<ImageStreamSource> s = registry.find(name);
                if (s.isPresent() && s.get().supports(uri)) {
                    return s.get();
                }
            }
            throw notInstalled(url);
        };
    }

    /** Only these sources (tests, and the platform's built-in SimpleStreams source). */
    static SourceResolver of(List<ImageStreamSource> sources) {
        return url -> {
            URI uri = parse(url);
            return sources.stream().filter(s -> s.supports(uri)).findFirst().orElseThrow(() -> notInstalled(url));
        };
    }

    private static URI parse(String url) throws StreamSourceException {
        try {
            return new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new StreamSourceException("Not a valid boot source URL: " + url);
        }
    }
}
