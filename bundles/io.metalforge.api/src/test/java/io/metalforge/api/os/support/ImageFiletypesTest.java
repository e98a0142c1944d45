package io.metalforge.api.os.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ImageFiletypesTest {

    @Test
    void groupsFollowTheSpec() {
        assertEquals("dd-xz", ImageFiletypes.DISK_IMAGE.get("root-dd.xz"));
        assertEquals("dd-tgz", ImageFiletypes.DISK_IMAGE.get("root-dd"));
        assertEquals("dd-txz", ImageFiletypes.DISK_IMAGE.get("root-dd.tar.xz"));
        assertEquals("tbz", ImageFiletypes.TARBALL.get("root.tbz"));
        assertEquals(8, ImageFiletypes.DISK_IMAGE.size());
        assertEquals(6, ImageFiletypes.TARBALL.size());
    }

    @Test
    void unionIsImmutableAndComplete() {
        Map<String, String> all = ImageFiletypes.of(ImageFiletypes.TARBALL, ImageFiletypes.DISK_IMAGE,
                ImageFiletypes.SQUASHFS);
        assertEquals(15, all.size());
        assertThrows(UnsupportedOperationException.class, () -> all.put("x", "y"));
    }
}
