package io.metalforge.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The mapper the v2 and v3 dispatchers write JSON answers with. It is made with this class, on the first answer that
 * needs it, not while the API servlets activate on the start's critical path (Jackson's mapper is costly to set up
 * in a fresh JVM: its date format builds the JDK's calendar data).
 */
final class AnswerJson {

    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private AnswerJson() {
    }
}
