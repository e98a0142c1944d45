package io.metalforge.api.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ImageHeadTest {

    private static byte[] content(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void whatWasReadIsReplayedBeforeTheRest() throws Exception {
        byte[] image = content(300_000);
        ImageHead head = new ImageHead(new ByteArrayInputStream(image));
        InputStream checked = head.stream();
        byte[] first = checked.readNBytes(150_001); // across two piece boundaries
        assertEquals(image[150_001], (byte) checked.read());
        assertArrayEquals(Arrays.copyOf(image, 150_001), first);
        assertEquals(150_002, head.length());
        assertArrayEquals(image, head.replay().readAllBytes());
    }

    @Test
    void theStreamEndsAtTheHeadOrTheLimitGiven() throws Exception {
        byte[] image = content(ImageDoctor.HEAD_BYTES + 1000);
        ImageHead head = new ImageHead(new ByteArrayInputStream(image));
        assertEquals(ImageDoctor.HEAD_BYTES, head.stream().readAllBytes().length);
        assertEquals(-1, head.stream().read());
        assertArrayEquals(image, head.replay().readAllBytes());

        ImageHead chunk = new ImageHead(new ByteArrayInputStream(image), 1000);
        assertEquals(1000, chunk.stream().readAllBytes().length);
        assertArrayEquals(image, chunk.replay().readAllBytes());
    }

    @Test
    void nothingReadNothingKept() throws Exception {
        byte[] image = content(10);
        ImageHead head = new ImageHead(new ByteArrayInputStream(image));
        assertEquals(0, head.length());
        assertArrayEquals(image, head.replay().readAllBytes());
        assertThrows(IllegalStateException.class, () -> head.stream().read());
    }
}
