package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.metalforge.api.source.ImageStreamSource;
import io.metalforge.api.source.SignaturePolicy;
import io.metalforge.api.source.StreamCatalogue;

/**
 * The SimpleStreams image source: MAAS ephemeral-v3 mirrors over http(s) or file URLs, through the proxy of the
 * import's configuration ({@code http_proxy} of {@code io.metalforge.simplestreams}). The sync reads every source
 * through the {@link ImageStreamSource} registered for its URL; this is the built-in one.
 */
@Component(property = ImageStreamSource.PROPERTY_TYPE + "=" + SimpleStreamsSource.TYPE,
        configurationPid = "io.metalforge.simplestreams")
public class SimpleStreamsSource implements ImageStreamSource {

    static final String TYPE = "simplestreams";

    private final HttpFetcher fetcher;
    /** What this source verified before: an unchanged catalogue is fetched again, not verified and parsed again. */
    private final VerifiedDocuments verified = new VerifiedDocuments();

    @Activate
    public SimpleStreamsSource(SyncConfiguration config) {
        this(new HttpFetcher(config.http__proxy(), Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }

    SimpleStreamsSource(HttpFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Deactivate
    void deactivate() {
        fetcher.closeIdle();
    }

    /** Its HTTP client, which the downloader uses directly for ranges and retry classes. */
    HttpFetcher fetcher() {
        return fetcher;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean supports(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") || scheme.equals("file");
    }

    @Override
    public InputStream openItem(URI mirrorRoot, String path, long offset) throws IOException {
        HttpFetcher.Opened opened = fetcher.open(MirrorPaths.resolve(mirrorRoot, path), offset);
        if (opened.offset() != offset) {
            opened.body().close();
            throw new IOException("The server of " + mirrorRoot + " cannot resume " + path + " at byte " + offset);
        }
        return opened.body();
    }

    @Override
    public StreamCatalogue readCatalogue(URI url, SignaturePolicy policy) throws IOException {
        return new CatalogueReader(fetcher, verified).read(url.toString(), policy);
    }
}
