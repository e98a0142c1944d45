package io.metalforge.metadata.internal;

import java.util.List;
import java.util.Locale;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.InstallerEvent;
import io.metalforge.api.machine.MachineInfo;

/**
 * {@code <version>/} and {@code curtin/<version>/}: the index ("meta-data", "user-data") and the node's POST
 * operations: {@code signal} (multipart: status OK, FAILED, WORKING, ... with an error text; FAILED while Deploying
 * fails the deployment) and {@code netboot_off}.
 */
final class Signals {

    static final ApiAction INDEX = ApiAction.crud("GET", "List the metadata of a version.", Access.AUTHENTICATED);
    static final ApiAction SIGNAL = ApiAction.op("POST", "signal", """
            Signal the node's progress.

            :param status: OK, FAILED, WORKING, COMMISSIONING, TESTING, TIMEDOUT, INSTALLING, APPLYING_NETCONF
            :param error: what went wrong or what is happening
            """, Access.AUTHENTICATED);
    static final ApiAction NETBOOT_OFF = ApiAction.op("POST", "netboot_off", "Turn network boot off.",
            Access.AUTHENTICATED);
    static final List<ApiAction> ACTIONS = List.of(INDEX, SIGNAL, NETBOOT_OFF);
    static final List<String> STATUSES = List.of("OK", "FAILED", "WORKING", "COMMISSIONING", "TESTING", "TIMEDOUT",
            "INSTALLING", "APPLYING_NETCONF");

    private final NodeTokens nodes;

    Signals(NodeTokens nodes) {
        this.nodes = nodes;
    }

    ApiResponse answer(ApiAction action, ApiRequest r) throws ApiException {
        MachineInfo m = nodes.node(r);
        if (action.equals(INDEX)) {
            return MetadataRoute.text("meta-data\nuser-data\n");
        }
        if (action.equals(NETBOOT_OFF)) {
            nodes.machines.netbootOff(m.systemId());
            return ApiResponse.ok();
        }
        String status = r.parameter("status").orElse("").toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(status)) {
            throw ApiException.badRequest("Unknown node status: '" + status.replaceAll("[^\\x20-\\x7e]", "?")
                    + "'.");
        }
        String error = r.parameter("error").orElse("");
        boolean failed = status.equals("FAILED") || status.equals("TIMEDOUT");
        nodes.machines.installerEvent(m.systemId(), new InstallerEvent(failed ? "finish" : "progress", "signal",
                "signal", status + (error.isEmpty() ? "" : ": " + error), failed ? "FAIL" : "", List.of()));
        return ApiResponse.ok();
    }
}
