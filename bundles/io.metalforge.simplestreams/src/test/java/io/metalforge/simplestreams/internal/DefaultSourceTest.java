package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default source a fresh install creates follows {@code default_source_url} and {@code default_keyring} each
 * time the component starts with them (the configuration arrives after the first start), until it is edited through
 * the API form or another source is added. Over the real database repository.
 */
class DefaultSourceTest {

    @TempDir
    Path dir;

    /** The sources over a fresh database; no catalogue is read (nothing here validates a selection). */
    private BootSources sources() throws Exception {
        return new BootSources(new JdbcBootSourceRepository(new SyncPlatform(dir).database), s -> {
            throw new IOException("no catalogue in this test");
        });
    }

    @Test
    void followsTheConfigurationUntilTheOperatorEditsIt() throws Exception {
        BootSources sources = sources();
        // the first start, before the deploy folder was read
        sources.ensureDefault(BootSourceUrls.STABLE, BootSources.DEFAULT_KEYRING, "ubuntu", "noble", List.of("amd64"));
        BootSource created = only(sources);
        assertEquals(BootSourceUrls.STABLE, created.url());
        assertFalse(created.skipKeyringVerification());

        // the configuration arrives: an air-gapped mirror's unsigned index
        String mirror = "http://mirror.example/streams/v1/index.json";
        sources.ensureDefault(mirror, "", "ubuntu", "noble", List.of("amd64"));
        BootSource followed = only(sources);
        assertEquals(created.id(), followed.id());
        assertEquals(mirror, followed.url());
        assertTrue(followed.skipKeyringVerification(), "an index.json is unsigned, as for a source made through the API");
        assertEquals(created.created(), followed.updated(), "following the file is no edit");
        assertEquals(List.of("noble"), sources.repository().selections(followed.id()).stream()
                .map(Selection::release).toList(), "the selection stays");

        // a signed stream with its keyring
        sources.ensureDefault("http://mirror.example/ephemeral-v3/stable/", "/etc/metalforge/mirror.gpg", "ubuntu",
                "noble", List.of("amd64"));
        BootSource signed = only(sources);
        assertEquals("http://mirror.example/ephemeral-v3/stable", signed.url());
        assertEquals("/etc/metalforge/mirror.gpg", signed.keyringFilename());
        assertFalse(signed.skipKeyringVerification());

        // the operator edits it through the API: the file no longer moves it
        Thread.sleep(5); // a later millisecond than its creation
        sources.update(signed.id(), Map.of("name", List.of("Our mirror")), List.of());
        sources.ensureDefault("http://elsewhere.example/ephemeral-v3/stable", BootSources.DEFAULT_KEYRING, "ubuntu",
                "noble", List.of("amd64"));
        BootSource kept = only(sources);
        assertEquals("http://mirror.example/ephemeral-v3/stable", kept.url());
        assertEquals("Our mirror", kept.name());
    }

    @Test
    void aSecondSourceEndsTheFollowing() throws Exception {
        BootSources sources = sources();
        sources.ensureDefault(BootSourceUrls.STABLE, BootSources.DEFAULT_KEYRING, "ubuntu", "noble", List.of("amd64"));
        sources.create(Map.of("url", List.of("http://local.example/streams/v1/index.json")), List.of());
        sources.ensureDefault("http://mirror.example/ephemeral-v3/stable", BootSources.DEFAULT_KEYRING, "ubuntu",
                "noble", List.of("amd64"));
        assertEquals(List.of(BootSourceUrls.STABLE, "http://local.example/streams/v1/index.json"),
                sources.repository().sources().stream().map(BootSource::url).toList());
    }

    private static BootSource only(BootSources sources) throws IOException {
        List<BootSource> all = sources.repository().sources();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }
}
