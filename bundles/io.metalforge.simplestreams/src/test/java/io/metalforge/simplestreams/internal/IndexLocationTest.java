package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.metalforge.api.source.StreamSourceException;

class IndexLocationTest {

    @Test
    void signedIndexIsTheDefault() {
        IndexLocation l = IndexLocation.of("http://images.maas.io/ephemeral-v3/stable/");
        assertEquals(URI.create("http://images.maas.io/ephemeral-v3/stable/streams/v1/index.sjson"), l.index());
        assertEquals(URI.create("http://images.maas.io/ephemeral-v3/stable/"), l.mirrorRoot());
    }

    @Test
    void anExplicitIndexIsUsedAsGiven() {
        IndexLocation l = IndexLocation.of("http://m.example/x/streams/v1/index.json");
        assertEquals(URI.create("http://m.example/x/streams/v1/index.json"), l.index());
        assertEquals(URI.create("http://m.example/x/"), l.mirrorRoot());
        assertEquals(URI.create("file:/srv/m/"), IndexLocation.of("file:/srv/m/streams/v1/other.sjson").mirrorRoot());
    }

    @Test
    void dailyIsStable() {
        assertEquals("http://images.maas.io/ephemeral-v3/stable",
                BootSourceUrls.normalise("http://images.maas.io/ephemeral-v3/daily/"));
        assertEquals(URI.create("http://images.maas.io/ephemeral-v3/stable/streams/v1/index.sjson"),
                IndexLocation.of("http://images.maas.io/ephemeral-v3/daily").index());
        assertEquals("http://x/ephemeral-v3/dailyish", BootSourceUrls.normalise("http://x/ephemeral-v3/dailyish"));
    }

    @Test
    void pathsMayNotLeaveTheMirror() throws Exception {
        URI root = URI.create("http://m.example/mirror/");
        assertEquals(URI.create("http://m.example/mirror/streams/v1/com.ubuntu.maas%3Astable%3Av3%3Adownload.json"),
                MirrorPaths.resolve(root, "streams/v1/com.ubuntu.maas:stable:v3:download.json"));
        for (String bad : new String[] {"../etc/passwd", "/etc/passwd", "a/../../b", "http://evil.example/x",
                "a//b", "a\\b", ""}) {
            assertThrows(StreamSourceException.class, () -> MirrorPaths.resolve(root, bad), bad);
        }
    }
}
