package io.metalforge.os.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class WindowsOsHandlerTest {

    private final WindowsOsHandler h = new WindowsOsHandler();

    @Test
    void factsAndReleases() {
        assertEquals("windows", h.name());
        assertEquals("Windows", h.title());
        assertEquals("win2019", h.defaultRelease());
        assertEquals("Windows \"Server 2012 R2\"", h.releaseTitle("win2012r2"));
        assertEquals("win3.11", h.releaseTitle("win3.11"));
        assertTrue(h.isReleaseSupported("win2022"));
        assertFalse(h.isReleaseSupported("win3.11"));
        assertTrue(h.supportedReleases().contains("win2016hv"));
        assertEquals(Optional.of("dd-raw"), h.curtinSourceType("root-dd.raw"));
        assertEquals(Optional.empty(), h.curtinSourceType("root-tgz"));
    }

    @Test
    void licenceKeys() {
        assertTrue(h.requiresLicenceKey("win2019"));
        assertFalse(h.requiresLicenceKey("win2012hvr2"));
        assertTrue(h.isLicenceKeyValid("win2019", "ABCDE-12345-FGHIJ-67890-KLMNO"));
        assertFalse(h.isLicenceKeyValid("win2019", "ABCDE-12345-FGHIJ-67890"));
        assertFalse(h.isLicenceKeyValid("win2019", "ABCDE-12345-FGHIJ-67890-KLMN!"));
        assertFalse(h.isLicenceKeyValid("win2019", null));
    }
}
