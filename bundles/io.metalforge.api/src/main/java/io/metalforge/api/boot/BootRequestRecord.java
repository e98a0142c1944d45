package io.metalforge.api.boot;

import java.time.Instant;

/**
 * One request a boot server answered.
 *
 * @param time     when it was answered
 * @param protocol HTTP or TFTP
 * @param client   the client's IP address
 * @param mac      the machine's MAC when known (from the path, or learned from the client's earlier config request),
 *                 otherwise ""
 * @param path     the decoded request path
 * @param status   the HTTP status (TFTP: 200 sent, 404 not found, 500 failed)
 * @param bytes    body bytes sent
 */
public record BootRequestRecord(Instant time, BootProtocol protocol, String client, String mac, String path,
        int status, long bytes) {
}
