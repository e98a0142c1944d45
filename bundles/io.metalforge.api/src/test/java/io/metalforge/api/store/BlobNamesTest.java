package io.metalforge.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class BlobNamesTest {

    private static final String A = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
    private static final String B = "abcdef0f23456789abcdef0123456789abcdef0123456789abcdef0123456789";
    private static final String C = "abcdef01ffffffffabcdef0123456789abcdef0123456789abcdef0123456789";

    @Test
    void sevenCharactersWhenNothingCollides() {
        assertEquals("abcdef0", BlobNames.shortestUniquePrefix(A, List.of()));
        assertEquals("abcdef0", BlobNames.shortestUniquePrefix(A, List.of(A, "0000000" + A.substring(7))));
    }

    @Test
    void extendedOneCharacterAtATimeOnCollision() {
        assertEquals("abcdef01", BlobNames.shortestUniquePrefix(A, List.of(B)));
        assertEquals("abcdef012", BlobNames.shortestUniquePrefix(A, List.of(B, C)));
        assertEquals("abcdef0f", BlobNames.shortestUniquePrefix(B, List.of(A, C)));
    }

    @Test
    void uppercaseIsNormalisedAndGarbageRejected() {
        assertEquals("abcdef0", BlobNames.shortestUniquePrefix(A.toUpperCase(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> BlobNames.shortestUniquePrefix("abc", List.of()));
        assertThrows(IllegalArgumentException.class, () -> BlobNames.requireSha256(A.replace('a', 'g')));
    }

    @Test
    void shortShasAreSevenToSixtyFourLowerCaseHexCharacters() {
        assertTrue(BlobNames.isShortSha("abcdef0"));
        assertTrue(BlobNames.isShortSha(A));
        assertTrue(BlobNames.isSha256(A));
        assertFalse(BlobNames.isSha256(A.substring(1)), "63 characters are a short sha, not a sha256");
        assertTrue(BlobNames.isShortSha(A.substring(1)));
        assertFalse(BlobNames.isShortSha("abcdef"), "six characters");
        assertFalse(BlobNames.isShortSha(A + "0"), "65 characters");
        assertFalse(BlobNames.isShortSha("ABCDEF0"), "upper case");
        assertFalse(BlobNames.isShortSha("abcdefg"), "not hex");
        assertFalse(BlobNames.isShortSha("abc/../"));
        assertFalse(BlobNames.isShortSha(null));
        assertFalse(BlobNames.isSha256(null));
    }
}
