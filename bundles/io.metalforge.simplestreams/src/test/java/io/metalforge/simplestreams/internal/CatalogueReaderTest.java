package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.source.ProductShape;
import io.metalforge.api.source.SignaturePolicy;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.source.StreamSourceException;

/** Signed mirrors made by real gpg, read over a loopback HTTP server and from file URLs. */
class CatalogueReaderTest {

    @TempDir
    static Path dir;
    static Gpg signer;
    static Gpg stranger;
    static MirrorFixture fixture;
    static MirrorServer server;
    static byte[] keyring;
    static byte[] armoredKeyring;

    @BeforeAll
    static void makeMirror() throws Exception {
        signer = new Gpg(dir.resolve("gnupg"), "Metalforge test stream <stream@example.invalid>");
        stranger = new Gpg(dir.resolve("gnupg-other"), "Someone else <other@example.invalid>");
        fixture = new MirrorFixture(dir.resolve("mirror"), signer)
                .ubuntu("24.04", "noble", "amd64", "20250709", 100, 200, 300)
                .centos("20211104_01", 50).bootloader("20231004.0").publish();
        keyring = signer.exportPublic(false);
        armoredKeyring = signer.exportPublic(true);
        server = new MirrorServer(fixture.mirror);
    }

    @AfterAll
    static void stop() {
        server.close();
        signer.close();
        stranger.close();
    }

    private static StreamCatalogue read(String url, SignaturePolicy policy) throws Exception {
        return new CatalogueReader(new HttpFetcher(null, Duration.ofSeconds(5), Duration.ofSeconds(10))).read(url,
                policy);
    }

    @Test
    void clearSignedMirrorVerifiesWithBinaryAndArmoredKeyrings() throws Exception {
        StreamCatalogue c = read(server.url().toString(), SignaturePolicy.keyringData(keyring));
        assertEquals(server.url().resolve("streams/v1/index.sjson"), c.index());
        assertEquals(4, c.products().size());
        assertEquals(1, c.products().stream().filter(p -> p.shape() == ProductShape.MULTI_FILE).count());
        assertEquals(1, c.products().stream().filter(p -> p.shape() == ProductShape.SINGLE_FILE).count());
        assertEquals(2, c.products().stream().filter(p -> p.shape() == ProductShape.BOOTLOADER).count());
        Path keyringFile = dir.resolve("keyring.asc");
        Files.write(keyringFile, armoredKeyring);
        assertEquals(4, read(server.url().toString(), SignaturePolicy.keyringFile(keyringFile)).products().size());
        assertTrue(server.requests.contains("streams/v1/" + MirrorFixture.UBUNTU_LIST + ".sjson"));
    }

    @Test
    void detachedSignaturesVerifyForJsonIndexes() throws Exception {
        StreamCatalogue c = read(server.url() + "streams/v1/index.json", SignaturePolicy.keyringData(armoredKeyring));
        assertEquals(4, c.products().size());
        assertTrue(server.requests.contains("streams/v1/index.json.gpg"));
    }

    @Test
    void fileUrlsWork() throws Exception {
        StreamCatalogue c = read(fixture.mirror.toUri().toString(), SignaturePolicy.keyringData(keyring));
        assertEquals(4, c.products().size());
    }

    @Test
    void aKeyNotInTheKeyringFails() throws Exception {
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> read(server.url().toString(), SignaturePolicy.keyringData(stranger.exportPublic(false))));
        assertTrue(e.getMessage().contains("which is not in the keyring"), e.getMessage());
        assertTrue(e.getMessage().contains("index.sjson"), e.getMessage());
    }

    @Test
    void aTamperedBodyFails() throws Exception {
        Path copy = dir.resolve("tampered");
        copyTree(fixture.mirror, copy);
        Path index = copy.resolve("streams/v1/index.sjson");
        String text = Files.readString(index).replace("products:1.0", "products:1.1");
        Files.writeString(index, text);
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> read(copy.toUri().toString(), SignaturePolicy.keyringData(keyring)));
        assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());

        Path json = copy.resolve("streams/v1/index.json");
        Files.writeString(json, Files.readString(json).replace("image-ids", "image-idz"));
        e = assertThrows(StreamSourceException.class,
                () -> read(copy.toUri() + "streams/v1/index.json", SignaturePolicy.keyringData(keyring)));
        assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
    }

    @Test
    void aBrokenSignatureBlockFails() throws Exception {
        Path copy = dir.resolve("badsig");
        copyTree(fixture.mirror, copy);
        Path index = copy.resolve("streams/v1/index.sjson");
        String text = Files.readString(index);
        int sig = text.indexOf("-----BEGIN PGP SIGNATURE-----");
        int mid = text.indexOf('\n', text.indexOf('\n', sig) + 2) + 5;
        char c = text.charAt(mid);
        Files.writeString(index, text.substring(0, mid) + (c == 'A' ? 'B' : 'A') + text.substring(mid + 1));
        assertThrows(StreamSourceException.class, () -> read(copy.toUri().toString(),
                SignaturePolicy.keyringData(keyring)));
    }

    @Test
    void unsignedJsonFailsUnlessVerificationIsSkipped() throws Exception {
        Path copy = dir.resolve("unsigned");
        copyTree(fixture.mirror, copy);
        Files.delete(copy.resolve("streams/v1/index.json.gpg"));
        String url = copy.toUri() + "streams/v1/index.json";
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> read(url, SignaturePolicy.keyringData(keyring)));
        assertTrue(e.getMessage().contains("no detached signature"), e.getMessage());
        assertEquals(4, read(url, SignaturePolicy.skip()).products().size());
        // and the signed index still parses when verification is skipped
        assertEquals(4, read(copy.toUri().toString(), SignaturePolicy.skip()).products().size());
    }

    @Test
    void verificationNeedsAKeyring() {
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> read(server.url().toString(), new SignaturePolicy(true, null, null)));
        assertEquals("'keyring_file' cannot be None if pgp verification is enabled.", e.getMessage());
        e = assertThrows(StreamSourceException.class, () -> read(server.url().toString(),
                SignaturePolicy.keyringFile(dir.resolve("missing.gpg"))));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(StreamSourceException.class, () -> read(server.url().toString(),
                SignaturePolicy.keyringData("not a key".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("keyring"), e.getMessage());
    }

    @Test
    void malformedJsonAndMissingListsFailClearly() throws Exception {
        Path copy = dir.resolve("malformed");
        copyTree(fixture.mirror, copy);
        Path list = copy.resolve("streams/v1/" + MirrorFixture.CENTOS_LIST + ".json");
        Files.writeString(list, "{\"format\": \"products:1.0\", \"products\": {");
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> read(copy.toUri() + "streams/v1/index.json", SignaturePolicy.skip()));
        assertTrue(e.getMessage().endsWith("not a valid JSON file."), e.getMessage());

        server.faults.put("streams/v1/" + MirrorFixture.BOOTLOADER_LIST + ".sjson", new MirrorServer.Status(404));
        try {
            e = assertThrows(StreamSourceException.class,
                    () -> read(server.url().toString(), SignaturePolicy.keyringData(keyring)));
            assertTrue(e.getMessage().contains("failed: 404 Not Found"), e.getMessage());
        } finally {
            server.faults.clear();
        }
    }

    @Test
    void anIndexPointingOutsideTheMirrorFails() throws Exception {
        Path copy = dir.resolve("outside");
        copyTree(fixture.mirror, copy);
        Path index = copy.resolve("streams/v1/index.json");
        Files.writeString(index, Files.readString(index).replace("\"streams/v1/" + MirrorFixture.CENTOS_LIST,
                "\"../../etc/" + MirrorFixture.CENTOS_LIST));
        signer.detachSign(index, copy.resolve("streams/v1/index.json.gpg"), false);
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> read(copy.toUri() + "streams/v1/index.json", SignaturePolicy.keyringData(keyring)));
        assertTrue(e.getMessage().contains("points outside the mirror"), e.getMessage());
    }

    @Test
    void anUnchangedCatalogueIsFetchedAgainButNotVerifiedOrParsedAgain() throws Exception {
        VerifiedDocuments known = new VerifiedDocuments();
        HttpFetcher fetcher = new HttpFetcher(null, Duration.ofSeconds(5), Duration.ofSeconds(10));
        String index = "streams/v1/index.sjson";
        long before = server.requests.stream().filter(index::equals).count();
        StreamCatalogue first = new CatalogueReader(fetcher, known).read(server.url().toString(),
                SignaturePolicy.keyringData(keyring));
        StreamCatalogue second = new CatalogueReader(fetcher, known).read(server.url().toString(),
                SignaturePolicy.keyringData(keyring));
        assertEquals(before + 2, server.requests.stream().filter(index::equals).count());
        assertEquals(4, second.products().size());
        for (int i = 0; i < 4; i++) { // the very products the first read parsed
            assertSame(first.products().get(i), second.products().get(i));
        }
    }

    @Test
    void aDocumentThatChangedAfterAGoodReadIsVerifiedAgain() throws Exception {
        Path copy = dir.resolve("changed");
        copyTree(fixture.mirror, copy);
        VerifiedDocuments known = new VerifiedDocuments();
        HttpFetcher fetcher = new HttpFetcher(null, Duration.ofSeconds(5), Duration.ofSeconds(10));
        SignaturePolicy policy = SignaturePolicy.keyringData(keyring);
        assertEquals(4, new CatalogueReader(fetcher, known).read(copy.toUri().toString(), policy).products().size());
        Path list = copy.resolve("streams/v1/" + MirrorFixture.UBUNTU_LIST + ".sjson");
        String signed = Files.readString(list);
        Files.writeString(list, signed.replace("\"noble\"", "\"nobbe\""));
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> new CatalogueReader(fetcher, known).read(copy.toUri().toString(), policy));
        assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
        assertTrue(e.getMessage().contains(MirrorFixture.UBUNTU_LIST.replace(":", "%3A")), e.getMessage());
        // the signature of the detached form too: the same body with another signature is checked again
        Path json = copy.resolve("streams/v1/index.json");
        String url = copy.toUri() + "streams/v1/index.json";
        Files.writeString(list, signed);
        assertEquals(4, new CatalogueReader(fetcher, known).read(url, policy).products().size());
        stranger.detachSign(json, copy.resolve("streams/v1/index.json.gpg"), false);
        e = assertThrows(StreamSourceException.class, () -> new CatalogueReader(fetcher, known).read(url, policy));
        assertTrue(e.getMessage().contains("which is not in the keyring"), e.getMessage());
    }

    @Test
    void theSameDocumentsUnderAnotherKeyringAreVerifiedAgain() throws Exception {
        VerifiedDocuments known = new VerifiedDocuments();
        HttpFetcher fetcher = new HttpFetcher(null, Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertEquals(4, new CatalogueReader(fetcher, known).read(server.url().toString(),
                SignaturePolicy.keyringData(keyring)).products().size());
        StreamSourceException e = assertThrows(StreamSourceException.class, () -> new CatalogueReader(fetcher, known)
                .read(server.url().toString(), SignaturePolicy.keyringData(stranger.exportPublic(false))));
        assertTrue(e.getMessage().contains("which is not in the keyring"), e.getMessage());
        // a keyring file is known by its bytes, not its name: replaced by the stranger's, it verifies nothing
        Path file = dir.resolve("replaced.gpg");
        Files.write(file, keyring);
        assertEquals(4, new CatalogueReader(fetcher, known).read(server.url().toString(),
                SignaturePolicy.keyringFile(file)).products().size());
        Files.write(file, stranger.exportPublic(false));
        e = assertThrows(StreamSourceException.class, () -> new CatalogueReader(fetcher, known)
                .read(server.url().toString(), SignaturePolicy.keyringFile(file)));
        assertTrue(e.getMessage().contains("which is not in the keyring"), e.getMessage());
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

}
