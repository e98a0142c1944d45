package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.http.ApiResponse;

/** The version document, written by hand once, read back by a JSON parser: what gomaasapi asks for, nothing else. */
class VersionHandlerTest {

    @Test
    void theDocumentIsTheJsonClientsRead() throws Exception {
        VersionHandler handler = new VersionHandler();
        ApiResponse answer = handler.handle(handler.actions().get(0), null);
        assertEquals(200, answer.status());
        assertEquals(ApiResponse.JSON, answer.contentType());
        JsonNode doc = new ObjectMapper().readTree((byte[]) answer.body());
        assertEquals(List.of("capabilities", "version", "subversion"), List.copyOf(iterable(doc)));
        assertEquals("authenticate-api", doc.get("capabilities").get(0).asText());
        assertEquals(1, doc.get("capabilities").size());
        assertEquals(VersionHandler.VERSION, doc.get("version").asText());
        assertEquals(VersionHandler.SUBVERSION, doc.get("subversion").asText());
        // every answer has its own copy: a caller that changed one could not change the next
        ((byte[]) answer.body())[0] = 'x';
        assertEquals('{', ((byte[]) handler.handle(handler.actions().get(0), null).body())[0]);
    }

    private static List<String> iterable(JsonNode doc) {
        List<String> names = new java.util.ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
