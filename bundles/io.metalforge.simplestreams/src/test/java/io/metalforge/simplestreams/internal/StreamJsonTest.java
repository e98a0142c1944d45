package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.metalforge.api.source.ProductShape;
import io.metalforge.api.source.StreamItem;
import io.metalforge.api.source.StreamProduct;
import io.metalforge.api.source.StreamSourceException;

/** The real MAAS product lists (committed copies under src/test/resources/streams) parse into what they hold. */
class StreamJsonTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = StreamJsonTest.class.getResourceAsStream("/streams/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void indexListsItsThreeProductLists() throws Exception {
        StreamJson.Index index = StreamJson.parseIndex("index", resource("simplestreams_index.json"));
        assertEquals("Thu, 24 Jul 2025 08:01:49 +0000", index.updated());
        Map<String, StreamJson.IndexEntry> byId = index.entries().stream()
                .collect(Collectors.toMap(StreamJson.IndexEntry::contentId, e -> e));
        assertEquals(3, byId.size());
        assertEquals(5, byId.get("com.ubuntu.maas:stable:1:bootloader-download").products().size());
        assertEquals(2, byId.get("com.ubuntu.maas:stable:centos-bases-download").products().size());
        assertEquals(4, byId.get("com.ubuntu.maas:stable:v3:download").products().size());
        assertEquals("streams/v1/com.ubuntu.maas:stable:v3:download.json",
                byId.get("com.ubuntu.maas:stable:v3:download").path());
    }

    @Test
    void ubuntuProductsAreMultiFileWithTwoVersionsOfFourItems() throws Exception {
        List<StreamProduct> products = StreamJson.parseProducts("u", resource("simplestreams_ubuntu.json"));
        assertEquals(4, products.size());
        for (StreamProduct p : products) {
            assertEquals(ProductShape.MULTI_FILE, p.shape());
            assertEquals("ubuntu", p.os());
            assertEquals(2, p.versions().size(), p.name());
            p.versions().values().forEach(v -> assertEquals(
                    java.util.Set.of("boot-initrd", "boot-kernel", "manifest", "squashfs"), v.items().keySet()));
        }
        StreamProduct jammy = byName(products, "com.ubuntu.maas.stable:v3:boot:22.04:amd64:ga-22.04");
        assertEquals(List.of("20250615", "20250718"), List.copyOf(jammy.versions().keySet()));
        assertEquals("20250718", jammy.latestVersion().orElseThrow().name());
        StreamItem kernel = jammy.latestVersion().orElseThrow().items().get("boot-kernel");
        assertEquals("jammy/amd64/20250718/ga-22.04/generic/boot-kernel", kernel.path());
        assertEquals("54fe42a379c138a86bf12279ed26e5ac2b4c0821823978831ce288c2cd9a121f", kernel.sha256());
        assertEquals(11708744L, kernel.size());
        assertEquals(Map.of("kpackage", "linux-generic"), kernel.extra());
        assertEquals("boot-kernel", kernel.filename());
        assertEquals("jammy", jammy.release());
        assertEquals("ga-22.04", jammy.attribute("subarch"));
        assertEquals("Jammy Jellyfish", jammy.attribute("release_codename"));
        StreamProduct arm = byName(products, "com.ubuntu.maas.stable:v3:boot:22.04:arm64:ga-22.04");
        assertEquals(List.of("20250808", "20250812"), List.copyOf(arm.versions().keySet()));
    }

    @Test
    void centosProductsAreSingleFile() throws Exception {
        List<StreamProduct> products = StreamJson.parseProducts("c", resource("simplestreams_centos.json"));
        assertEquals(2, products.size());
        StreamProduct c7 = byName(products, "com.ubuntu.maas.stable:centos-bases:7.0:amd64");
        assertEquals(ProductShape.SINGLE_FILE, c7.shape());
        assertEquals("centos70", c7.release());
        assertEquals(List.of("20240604_01", "20240622_01"), List.copyOf(c7.versions().keySet()));
        StreamProduct c8 = byName(products, "com.ubuntu.maas.stable:centos-bases:8:amd64");
        assertEquals("8", c8.release());
        assertEquals(List.of("20211029_01", "20211104_01"), List.copyOf(c8.versions().keySet()));
        assertEquals("root-tgz", c8.latestVersion().orElseThrow().items().get("root-tgz").ftype());
        assertEquals(java.util.Set.of("manifest", "root-tgz"), c8.latestVersion().orElseThrow().items().keySet());
    }

    @Test
    void bootloaderProductsKeepAllFiveWithTheirArchives() throws Exception {
        List<StreamProduct> products = StreamJson.parseProducts("b", resource("simplestreams_bootloaders.json"));
        assertEquals(5, products.size());
        products.forEach(p -> assertEquals(ProductShape.BOOTLOADER, p.shape()));
        StreamProduct uefi = byName(products, "com.ubuntu.maas.stable:1:grub-efi-signed:uefi:amd64");
        assertEquals("uefi", uefi.attribute("bootloader-type"));
        assertEquals(2, uefi.versions().size());
        assertEquals(java.util.Set.of("grub2-signed", "shim-signed"),
                uefi.latestVersion().orElseThrow().items().keySet());
        StreamItem shim = uefi.latestVersion().orElseThrow().items().get("shim-signed");
        assertEquals("archive.tar.xz", shim.ftype());
        assertEquals("shim-signed", shim.extra().get("src_package"));
        assertEquals("jammy", shim.extra().get("src_release"));
        assertEquals(1, byName(products, "com.ubuntu.maas.stable:1:pxelinux:pxe:amd64").versions().size());
        assertEquals(2, byName(products, "com.ubuntu.maas.stable:1:pxelinux:pxe:i386").versions().size());
        assertEquals(2, byName(products, "com.ubuntu.maas.stable:1:grub-ieee1275:open-firmware:ppc64el")
                .versions().size());
        int items = products.stream().mapToInt(p -> p.versions().values().stream()
                .mapToInt(v -> v.items().size()).sum()).sum();
        assertEquals(2 * 2 + 2 * 2 + 2 + 1 + 2, items);
    }

    @Test
    void malformedJsonFailsWithAClearMessage() {
        StreamSourceException e = assertThrows(StreamSourceException.class,
                () -> StreamJson.parseProducts("http://x/p.json", "{\"format\": \"products:1.0\", ".getBytes(
                        StandardCharsets.UTF_8)));
        assertEquals("Request to 'http://x/p.json' failed: not a valid JSON file.", e.getMessage());
        assertThrows(StreamSourceException.class, () -> StreamJson.parseIndex("i", "[1,2]".getBytes()));
        StreamSourceException badSha = assertThrows(StreamSourceException.class, () -> StreamJson.parseProducts("p",
                ("{\"format\":\"products:1.0\",\"products\":{\"x\":{\"versions\":{\"1\":{\"items\":{\"a\":"
                        + "{\"ftype\":\"squashfs\",\"path\":\"a\",\"sha256\":\"zz\",\"size\":1}}}}}}}").getBytes()));
        assertTrue(badSha.getMessage().contains("item a of x"), badSha.getMessage());
    }

    @Test
    void unknownItemTypesAreKeptInTheModel() throws Exception {
        String json = "{\"format\":\"products:1.0\",\"products\":{\"p:v3:x\":{\"arch\":\"amd64\",\"os\":\"ubuntu\","
                + "\"release\":\"noble\",\"subarch\":\"ga-24.04\",\"versions\":{\"1\":{\"items\":{"
                + item("boot-kernel") + "," + item("boot-initrd") + "," + item("manifest") + "," + item("squashfs")
                + "," + item("boot-dtb") + "," + item("di-kernel") + "}}}}}}";
        StreamProduct p = StreamJson.parseProducts("p", json.getBytes()).get(0);
        assertEquals(ProductShape.MULTI_FILE, p.shape());
        assertEquals(6, p.latestVersion().orElseThrow().items().size());
    }

    private static String item(String name) {
        return "\"" + name + "\":{\"ftype\":\"" + name + "\",\"path\":\"d/" + name + "\",\"sha256\":\""
                + "0".repeat(64) + "\",\"size\":3}";
    }

    private static StreamProduct byName(List<StreamProduct> products, String name) {
        return products.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError("no product " + name));
    }
}
