package io.metalforge.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
