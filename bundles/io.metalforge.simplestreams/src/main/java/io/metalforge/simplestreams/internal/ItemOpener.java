package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.net.URI;

/** Opens the bytes of one item of a catalogue from an offset (for resuming), as the downloader needs them. */
interface ItemOpener {

    /**
     * Opens {@code uri} from byte {@code offset}; the returned offset is 0 when the server ignored the range, and
     * the total length -1 when unknown.
     */
    HttpFetcher.Opened open(URI uri, long offset) throws IOException;
}
