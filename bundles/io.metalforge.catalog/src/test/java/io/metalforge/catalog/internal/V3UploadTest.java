package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.ApiException;

/** MAAS v3's single-request upload: headers carry the metadata, the body is the image. */
class V3UploadTest {

    @TempDir
    Path dir;

    private static Map<String, String> headers(byte[] image, String... more) throws Exception {
        Map<String, String> h = new HashMap<>(Map.of("name", "v3image", "sha256", Images.sha256(image),
                "architecture", "amd64/generic"));
        for (int i = 0; i < more.length; i += 2) {
            h.put(more[i], more[i + 1]);
        }
        return h;
    }

    @Test
    void uploadsInOneRequest() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 5 << 20, 31);
        BootResource r = p.uploads.uploadWhole(headers(image, "title", "V3", "base-image", "ubuntu/noble"),
                new ByteArrayInputStream(image), image.length);
        assertTrue(p.catalog.isComplete(p.catalog.sets(r.id()).get(0).id()));
        assertArrayEquals(image, Files.readAllBytes(dir.resolve("blobs").resolve(Images.sha256(image))));
        Map<String, Object> json = UploadService.v3Image(r);
        assertEquals("Image", json.get("kind"));
        assertEquals("custom", json.get("os"));
        assertEquals("v3image", json.get("release"));
        assertEquals("V3", json.get("title"));
        assertEquals("ok", ResourceJson.verdict(p.catalog.files(p.catalog.sets(r.id()).get(0).id()).get(0).report()
                .verdict()));
    }

    @Test
    void v3MessagesAndAllOrNothing() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        byte[] image = Images.ubuntuTgz(true, 10_000, 32);
        String[][] cases = {
            { "name", "ubuntu/mine", "To upload an Ubuntu custom image you have to specify 'custom' as the OS" },
            { "name", "n".repeat(256), "The name has 256 characters; at most 255 are allowed." },
            { "architecture", "amd64", "Not a valid architecture string, needs to be in form '<arch>/<subarch>'" },
            { "architecture", "arm64/generic",
                "arm64/generic is not a valid usable architecture. Valid choices: amd64/generic." },
            { "base-image", "noble", "Base image must be in the format: <osystem>/<version>" },
            { "base-image", "windows/2019",
                "Custom images require a valid non-custom OS type base image: windows is invalid." },
            { "base-image", "ubuntu/nope", "Unsupported base image ubuntu/nope" } };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> p.uploads.uploadWhole(headers(image, c[0], c[1]),
                    new ByteArrayInputStream(image), image.length));
            assertEquals(c[2], e.getMessage());
        }

        ApiException wrongSha = assertThrows(ApiException.class, () -> p.uploads.uploadWhole(
                headers(image, "sha256", "0".repeat(64)), new ByteArrayInputStream(image), image.length));
        assertEquals("Provided SHA256 does not match calculated one. Make sure the file uploaded has the SHA256 equal "
                + "to '" + "0".repeat(64) + "'", wrongSha.getMessage());
        assertEquals(Optional.empty(), p.catalog.resources(Optional.of(ResourceType.UPLOADED)).stream().findFirst());

        Platform small = new Platform(dir.resolve("small"), 1 << 20);
        small.syncUbuntu();
        byte[] big = Images.ubuntuTgz(true, 2 << 20, 33);
        ApiException full = assertThrows(ApiException.class, () -> small.uploads.uploadWhole(headers(big),
                new ByteArrayInputStream(big), big.length));
        assertEquals(507, full.status());
        assertTrue(small.catalog.resources(Optional.of(ResourceType.UPLOADED)).isEmpty());
    }
}
