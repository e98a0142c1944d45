package io.metalforge.example.boot.petitboot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.metalforge.api.boot.BootProtocol;
import io.metalforge.api.boot.BootRequest;

/** The paths it answers; HotDeployIT renders its configs in a running platform. */
class PetitbootBootMethodTest {

    final PetitbootBootMethod method = new PetitbootBootMethod();

    @Test
    void matchesItsOwnPathsOnly() {
        BootRequest r = method.match("petitboot/52-54-00-AB-CD-EF", BootProtocol.HTTP).orElseThrow();
        assertEquals(BootRequest.Kind.MACHINE, r.kind());
        assertEquals("52:54:00:ab:cd:ef", r.mac());
        assertEquals(BootRequest.Kind.DEFAULT, method.match("petitboot/default", BootProtocol.TFTP).orElseThrow()
                .kind());
        assertTrue(method.match("pxelinux.cfg/default", BootProtocol.HTTP).isEmpty());
        assertTrue(method.match("petitboot/52-54-00", BootProtocol.HTTP).isEmpty());
    }

    @Test
    void shipsATemplateForEveryPurposeTheBootServiceAsksFor() {
        for (String purpose : new String[] { "xinstall", "enlist", "local", "poweroff" }) {
            assertTrue(getClass().getClassLoader().getResource("templates/boot/petitboot/config." + purpose
                    + ".template") != null, purpose);
        }
    }
}
