package io.metalforge.catalog.internal;

import static io.metalforge.catalog.internal.UploadTest.body;
import static io.metalforge.catalog.internal.UploadTest.newestFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.http.ApiException;

/** The create form's rules and messages, spec §3.1. */
class ValidationTest {

    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    private Platform p;

    @BeforeEach
    void platform() throws Exception {
        p = new Platform(dir);
        p.syncUbuntu();
    }

    private static TestRequest request(String... pairs) {
        TestRequest request = new TestRequest("POST");
        for (int i = 0; i < pairs.length; i += 2) {
            request.param(pairs[i], pairs[i + 1]);
        }
        return request;
    }

    /** A complete valid request, with pairs overriding or adding parameters ("" removes one). */
    private static TestRequest valid(String... overrides) {
        TestRequest request = new TestRequest("POST");
        Map<String, String> base = new java.util.LinkedHashMap<>(Map.of("name", "myimage", "architecture",
                "amd64/generic", "sha256", SHA, "size", "100"));
        for (int i = 0; i < overrides.length; i += 2) {
            base.put(overrides[i], overrides[i + 1]);
        }
        base.forEach((k, v) -> {
            if (!v.isEmpty()) {
                request.param(k, v);
            }
        });
        return request;
    }

    private Map<String, List<String>> errors(TestRequest request) {
        ApiException e = assertThrows(ApiException.class, () -> p.resources.handle(BootResourcesHandler.CREATE, request));
        assertEquals(400, e.status());
        return e.fieldErrors();
    }

    private Map<String, Object> created(TestRequest request) throws ApiException {
        return body(p.resources.handle(BootResourcesHandler.CREATE, request));
    }

    @Test
    void requiredFields() {
        assertEquals(Map.of("name", List.of("This field is required."), "architecture",
                List.of("This field is required."), "sha256", List.of("This field is required."), "size",
                List.of("This field is required.")), errors(request()));
    }

    @Test
    void slashNeedsASupportedOperatingSystem() {
        assertEquals(Map.of("name", List.of("OS handler 'foo' is not installed; installed: "
                + V3UploadTest.INSTALLED)), errors(valid("name", "foo/bar")));
    }

    @Test
    void reservedNames() {
        for (String name : List.of("ubuntu", "centos", "custom", "ubuntu/noble", "noble", "centos7", "centos70")) {
            assertEquals(Map.of("name", List.of(name + " is a reserved name")), errors(valid("name", name)), name);
        }
    }

    @Test
    void customImagesGetABaseImage() throws Exception {
        assertEquals("ubuntu/noble", created(valid("name", "plain")).get("base_image"));
        assertEquals("ubuntu/noble", created(valid("name", "custom/prefixed")).get("base_image"));
        assertEquals("custom/prefixed", created(valid("name", "custom/prefixed", "sha256", "b".repeat(64)))
                .get("name"));
        assertEquals("centos/8", created(valid("name", "cent", "base_image", "CentOS/8", "sha256", "c".repeat(64)))
                .get("base_image"));
        // a second upload without base_image keeps the resource's
        assertEquals("centos/8", created(valid("name", "cent", "sha256", "d".repeat(64))).get("base_image"));
        assertEquals("rhel/rhel9", created(valid("name", "r", "base_image", "rhel/rhel9", "sha256",
                "e".repeat(64))).get("base_image"));
        assertEquals("suse/sles15.4", created(valid("name", "s", "base_image", "suse/sles15.4", "sha256",
                "9".repeat(64))).get("base_image"));
        // OS-prefixed names other than custom/ are not custom images
        assertFalse(created(valid("name", "centos/mine", "sha256", "f".repeat(64))).containsKey("base_image"));
    }

    @Test
    void baseImageRules() {
        assertEquals(Map.of("base_image", List.of("a base image must follow the format: <osystem>/<series>")),
                errors(valid("base_image", "noble")));
        // every refusal names the valid choices, as the installed OS handlers give them
        assertEquals(Map.of("base_image", List.of("Windows cannot be the base of a custom image; bases: centos, ol, "
                + "rhel, suse, ubuntu")), errors(valid("base_image", "windows/win2019")));
        assertEquals(Map.of("base_image", List.of("Custom cannot be the base of a custom image; bases: centos, ol, "
                + "rhel, suse, ubuntu")), errors(valid("base_image", "custom/foo")));
        assertEquals(Map.of("base_image", List.of("OS handler 'rocky' is not installed; installed: "
                + V3UploadTest.INSTALLED)), errors(valid("base_image", "rocky/rocky9")));
        String bogus = errors(valid("base_image", "ubuntu/bogus")).get("base_image").get(0);
        assertTrue(bogus.startsWith("'bogus' is not a Ubuntu release; valid releases: precise, trusty, "), bogus);
        assertTrue(bogus.contains(", jammy, ") && bogus.contains(", noble"), bogus);
    }

    @Test
    void architectureMustBeUsable() throws Exception {
        // the MAAS rule, kept as a setting: only architectures of synced images
        Platform maas = new Platform(dir.resolve("maas"), 0, true);
        ApiException none = assertThrows(ApiException.class,
                () -> maas.resources.handle(BootResourcesHandler.CREATE, valid()));
        assertEquals(Map.of("architecture", List.of("Select a valid choice. amd64/generic is not one of the available "
                + "choices: none.")), none.fieldErrors());
        maas.syncUbuntu();
        ApiException arm = assertThrows(ApiException.class,
                () -> maas.resources.handle(BootResourcesHandler.CREATE, valid("architecture", "arm64/generic")));
        assertEquals(Map.of("architecture", List.of("Select a valid choice. arm64/generic is not one of the available "
                + "choices: amd64/generic.")), arm.fieldErrors());
        assertTrue(body(maas.resources.handle(BootResourcesHandler.CREATE, valid())).containsKey("id"));

        // by default, also every architecture an installed OS handler supports; hwe-/ga- subarches are not offered
        String all = "amd64/generic, arm64/generic, armhf/generic, i386/generic, ppc64el/generic, riscv64/generic, "
                + "s390x/generic";
        assertEquals(Map.of("architecture", List.of("Select a valid choice. amd64/ga-24.04 is not one of the "
                + "available choices: " + all + ".")), errors(valid("architecture", "amd64/ga-24.04")));
        assertTrue(created(valid("architecture", "arm64/generic")).containsKey("id"));
    }

    @Test
    void aFreshApplianceTakesACustomImageBeforeAnySync() throws Exception {
        Platform fresh = new Platform(dir.resolve("fresh"));
        assertTrue(fresh.catalog.usableArchitectures().isEmpty(), "nothing synced");
        for (String arch : List.of("amd64/generic", "arm64/generic", "s390x/generic")) {
            Map<String, Object> made = body(fresh.resources.handle(BootResourcesHandler.CREATE,
                    valid("name", "first-" + arch.substring(0, arch.indexOf('/')), "architecture", arch)));
            assertEquals(arch, made.get("architecture"));
        }
        // a vendor OS handler's architectures become usable when it is installed, and go with it
        ApiException before = assertThrows(ApiException.class, () -> fresh.resources.handle(
                BootResourcesHandler.CREATE, valid("architecture", "loongarch64/generic")));
        assertTrue(before.fieldErrors().get("architecture").get(0).startsWith(
                "Select a valid choice. loongarch64/generic is not one of the available choices: amd64/generic, "));
        fresh.oses.register(new io.metalforge.api.os.OsHandler() {
            // a minimal vendor handler written against SPI 1.0 plus architectures(): every other 1.1 fact defaults
            @Override
            public String name() {
                return "loong";
            }

            @Override
            public String title() {
                return "Loong OS";
            }

            @Override
            public String defaultRelease() {
                return "1";
            }

            @Override
            public String releaseTitle(String release) {
                return release;
            }

            @Override
            public boolean isReleaseSupported(String release) {
                return "1".equals(release);
            }

            @Override
            public List<String> supportedReleases() {
                return List.of("1");
            }

            @Override
            public java.util.Set<io.metalforge.api.os.BootPurpose> purposes() {
                return java.util.Set.of(io.metalforge.api.os.BootPurpose.XINSTALL);
            }

            @Override
            public java.util.Optional<String> curtinSourceType(String filetype) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Set<String> architectures() {
                return java.util.Set.of("loongarch64/generic");
            }
        });
        assertTrue(body(fresh.resources.handle(BootResourcesHandler.CREATE, valid("name", "loong-first",
                "architecture", "loongarch64/generic"))).containsKey("id"));
        // not Linux by default, so not a base
        assertEquals(Map.of("base_image", List.of("Loong OS cannot be the base of a custom image; bases: centos, ol, "
                + "rhel, suse, ubuntu")), assertThrows(ApiException.class, () -> fresh.resources.handle(
                        BootResourcesHandler.CREATE, valid("name", "x", "base_image", "loong/1"))).fieldErrors());
        fresh.oses.unregister("loong");
        assertThrows(ApiException.class, () -> fresh.resources.handle(BootResourcesHandler.CREATE,
                valid("name", "loong-second", "architecture", "loongarch64/generic", "sha256", "1".repeat(64))));
    }

    static final String VALID_FILETYPES = "Valid choices: tgz (root-tgz), tbz (root-tbz), txz (root-txz), ddtgz (root-dd), "
                + "ddtbz (root-dd.tar.bz2), ddtxz (root-dd.tar.xz), ddtar (root-dd.tar), ddbz2 (root-dd.bz2), ddgz (root-dd.gz), "
                + "ddxz (root-dd.xz), ddraw (root-dd.raw).";

    @Test
    void filetypesMapToStoredFiletypesAndFilenames() throws Exception {
        Map<String, String[]> table = Map.ofEntries(Map.entry("tgz", new String[] { "root-tgz", "root.tgz" }),
                Map.entry("tbz", new String[] { "root-tbz", "root.tbz" }),
                Map.entry("txz", new String[] { "root-txz", "root.txz" }),
                Map.entry("ddtgz", new String[] { "root-dd", "root-dd" }),
                Map.entry("ddtar", new String[] { "root-dd.tar", "root-dd.tar" }),
                Map.entry("ddraw", new String[] { "root-dd.raw", "root-dd.raw" }),
                Map.entry("ddtbz", new String[] { "root-dd.tar.bz2", "root-dd.tar.bz2" }),
                Map.entry("ddtxz", new String[] { "root-dd.tar.xz", "root-dd.tar.xz" }),
                Map.entry("ddbz2", new String[] { "root-dd.bz2", "root-dd.bz2" }),
                Map.entry("ddgz", new String[] { "root-dd.gz", "root-dd.gz" }),
                Map.entry("ddxz", new String[] { "root-dd.xz", "root-dd.xz" }));
        int i = 0;
        for (var entry : table.entrySet()) {
            String sha = String.format("%064x", ++i);
            Map<String, Object> file = newestFile(created(valid("name", "ft" + i, "filetype", entry.getKey(), "sha256",
                    sha)));
            assertEquals(entry.getValue()[0], file.get("filetype"), entry.getKey());
            assertEquals(entry.getValue()[1], file.get("filename"), entry.getKey());
        }
        assertEquals("root-tgz", newestFile(created(valid("name", "default", "sha256", "9".repeat(64))))
                .get("filetype"));
        assertEquals(Map.of("filetype", List.of("Select a valid choice. zip is not one of the available choices. "
                + VALID_FILETYPES)), errors(valid("filetype", "zip")));
        assertEquals(Map.of("filetype", List.of("Select a valid choice. self-extracting is not one of the available "
                + "choices. " + VALID_FILETYPES)), errors(valid("filetype", "self-extracting")));
        // the stored spelling is accepted too (the deployment preview and the shell use it)
        assertEquals("root-dd.xz", newestFile(created(valid("name", "stored-spelling", "filetype", "root-dd.xz",
                "sha256", "8".repeat(64)))).get("filetype"));
    }

    @Test
    void sha256AndSize() {
        assertEquals(Map.of("sha256", List.of("Ensure this value has at least 64 characters (it has 3).")),
                errors(valid("sha256", "abc")));
        assertEquals(Map.of("sha256", List.of("Ensure this value has at most 64 characters (it has 65).")),
                errors(valid("sha256", "a".repeat(65))));
        assertEquals(Map.of("sha256", List.of("Enter a valid sha256: 64 hexadecimal characters.")),
                errors(valid("sha256", "g".repeat(64))));
        assertEquals(Map.of("size", List.of("Enter a whole number.")), errors(valid("size", "12kb")));
        assertEquals(Map.of("size", List.of("Ensure this value is greater than or equal to 0.")),
                errors(valid("size", "-1")));
    }

    @Test
    void titleAndSubarchesGoToExtra() throws Exception {
        Map<String, Object> json = created(valid("title", "Rocky 9 with GPU drivers"));
        assertEquals("Rocky 9 with GPU drivers", json.get("title"));
        assertEquals("generic", json.get("subarches"));
        assertEquals("/MAAS/api/2.0/boot-resources/" + json.get("id") + "/", json.get("resource_uri"));
        assertEquals(null, json.get("last_deployed"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> sets = (Map<String, Map<String, Object>>) json.get("sets");
        Map<String, Object> set = sets.values().iterator().next();
        assertEquals("uploaded", set.get("label"));
        assertEquals(100L, set.get("size"));
        assertEquals(false, set.get("complete"));
        assertEquals(0.0, set.get("progress"));
        assertTrue(((String) set.get("version")).matches("\\d{8}"));
    }
}
