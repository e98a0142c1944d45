package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;

import org.junit.jupiter.api.Test;

class RequestBodyTest {

    @Test
    void anUnlimitedBodyIsReadInWholeBuffersNotByteByByte() throws Exception {
        RequestBody body = new RequestBody(new ByteArrayInputStream(new byte[1 << 20]), Long.MAX_VALUE,
                RequestBody.Rate.NONE);
        assertEquals(65536, body.read(new byte[65536], 0, 65536));
    }

    @Test
    void aBodyOneBytePastItsLimitIsTooLargeAndOneThatFitsIsNot() throws Exception {
        RequestBody fits = new RequestBody(new ByteArrayInputStream(new byte[100]), 100, RequestBody.Rate.NONE);
        assertEquals(100, fits.readAllBytes().length);
        RequestBody over = new RequestBody(new ByteArrayInputStream(new byte[101]), 100, RequestBody.Rate.NONE);
        RequestBody.ClientFault e = assertThrows(RequestBody.ClientFault.class, over::readAllBytes);
        assertEquals(RequestBody.Fault.TOO_LARGE, e.fault);
        assertEquals(RequestBody.Fault.TOO_LARGE, over.fault());
    }

    @Test
    void aBodyPastItsDeadlineIsTooSlow() throws Exception {
        RequestBody late = new RequestBody(new ByteArrayInputStream(new byte[10]), 100, RequestBody.Rate.NONE)
                .deadline(-1);
        RequestBody.ClientFault e = assertThrows(RequestBody.ClientFault.class, () -> late.read(new byte[10]));
        assertEquals(RequestBody.Fault.TOO_SLOW, e.fault);
    }
}
