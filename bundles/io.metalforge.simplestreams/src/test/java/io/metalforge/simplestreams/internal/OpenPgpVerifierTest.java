package io.metalforge.simplestreams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.source.StreamSourceException;

/** Clear-signed text as real gpg signs it, and detached text-mode signatures. */
class OpenPgpVerifierTest {

    @TempDir
    static Path dir;
    static Gpg gpg;
    static OpenPgpVerifier verifier;

    @BeforeAll
    static void key() throws Exception {
        gpg = new Gpg(dir.resolve("gnupg"), "Metalforge text signer <text@example.invalid>");
        verifier = OpenPgpVerifier.of(gpg.exportPublic(false));
    }

    @AfterAll
    static void stop() {
        gpg.close();
    }

    private static byte[] clearSigned(String name, String text) throws Exception {
        Path in = dir.resolve(name);
        Files.writeString(in, text, StandardCharsets.UTF_8);
        Path out = dir.resolve(name + ".asc");
        gpg.clearSign(in, out);
        return Files.readAllBytes(out);
    }

    @Test
    void textWithTrailingBlanksDashesAndCrLfLineEndsVerifiesAndComesBackDashUnescaped() throws Exception {
        String text = "{\"products\": {}}  \t\n- a line with a dash\n\n-----BEGIN lookalike\r\nFrom here\r\n"
                + "\u00e9t\u00e9 \u2713\nlast line without an end";
        byte[] body = verifier.verifyClearSigned("t1", clearSigned("t1", text));
        assertEquals(text.replace("\r\n", "\n") + "\n", new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void aCarriageReturnInsideALineIsTextAsForGpg() throws Exception {
        String text = "one\rtwo\nthree\n";
        byte[] body = verifier.verifyClearSigned("t2", clearSigned("t2", text));
        assertEquals(text, new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void oneChangedCharacterFails() throws Exception {
        for (String text : new String[] {"{\"a\": 1}\n{\"b\": 2}\n", "{\"a\": 1}\r{\"b\": 2}\n"}) {
            String signed = new String(clearSigned("t3", text), StandardCharsets.UTF_8);
            String tampered = signed.replace("\"b\": 2", "\"b\": 3");
            StreamSourceException e = assertThrows(StreamSourceException.class,
                    () -> verifier.verifyClearSigned("t3", tampered.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
            String trailing = signed.replace("{\"a\": 1}", "{\"a\": 1} x");
            assertThrows(StreamSourceException.class,
                    () -> verifier.verifyClearSigned("t3", trailing.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aDetachedTextModeSignatureCoversTheTextWithItsLineEndsMadeCanonical() throws Exception {
        String text = "{\"a\": 1}\n{\"b\": 2}\n";
        Path in = dir.resolve("t4.json");
        Files.writeString(in, text, StandardCharsets.UTF_8);
        Path sig = dir.resolve("t4.json.gpg");
        gpg.detachSign(in, sig, false, "--textmode");
        verifier.verifyDetached("t4", text.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(sig));
        verifier.verifyDetached("t4", text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(sig));
        assertThrows(StreamSourceException.class, () -> verifier.verifyDetached("t4",
                text.replace("1", "2").getBytes(StandardCharsets.UTF_8), Files.readAllBytes(sig)));
    }
}
