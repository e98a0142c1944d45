package io.metalforge.metadata.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.InstallerEvent;
import io.metalforge.api.machine.MachineInfo;

/**
 * POST {@code status/<system_id>}: the JSON events curtin's and cloud-init's webhook reporters send
 * ({@code event_type}, {@code origin}, {@code name}, {@code description} required; {@code result},
 * {@code timestamp}, {@code files[{path, encoding: base64, content}]} optional), signed with the node's token.
 * Answers 204 as MAAS does. Bodies are bounded; a top-level finish that FAILs fails the deployment.
 */
final class StatusEvents {

    /** curtin posts its install log and error tarball base64-encoded in the event: a few MiB at most. */
    static final int MAX_BODY = 16 << 20;
    static final ApiAction POST = ApiAction.crud("POST", "Post an installer event.", Access.AUTHENTICATED);
    /** Made on the first event, not while the metadata routes activate on the start's critical path. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final NodeTokens nodes;

    StatusEvents(NodeTokens nodes) {
        this.nodes = nodes;
    }

    ApiResponse answer(ApiAction action, ApiRequest r) throws ApiException {
        MachineInfo m = nodes.node(r);
        if (!m.systemId().equals(r.pathParameters().get("system_id"))) {
            throw ApiException.forbidden("This token belongs to another node.");
        }
        JsonNode event = read(r);
        List<String> missing = new ArrayList<>();
        for (String field : List.of("event_type", "origin", "name", "description")) {
            if (!event.hasNonNull(field)) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("Missing parameter in status message: " + String.join(", ", missing));
        }
        List<InstallerEvent.InstallerFile> files = new ArrayList<>();
        for (JsonNode f : event.path("files")) {
            String path = f.path("path").asText("");
            String content = f.path("content").asText("");
            if (!"base64".equals(f.path("encoding").asText("base64"))) {
                throw ApiException.badRequest("Invalid encoding of file " + path + ": only base64 is accepted.");
            }
            try {
                files.add(new InstallerEvent.InstallerFile(path, Base64.getMimeDecoder().decode(content)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("File " + path + " is not valid base64.");
            }
        }
        nodes.machines.installerEvent(m.systemId(), new InstallerEvent(event.get("event_type").asText(),
                event.get("origin").asText(), event.get("name").asText(), event.get("description").asText(),
                event.path("result").asText(""), files));
        return ApiResponse.text(204, "");
    }

    private static JsonNode read(ApiRequest r) throws ApiException {
        if (r.contentLength() > MAX_BODY) {
            throw new ApiException(413, "Status message is larger than " + MAX_BODY + " bytes.");
        }
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new ApiException(413, "Status message is larger than " + MAX_BODY + " bytes.");
            }
            JsonNode node = Mapper.JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("Status message must be a JSON object.");
            }
            return node;
        } catch (IllegalStateException e) {
            throw ApiException.badRequest("Status message must be JSON, not a form.");
        } catch (IOException e) {
            throw ApiException.badRequest("Status message is not valid JSON.");
        }
    }
}
