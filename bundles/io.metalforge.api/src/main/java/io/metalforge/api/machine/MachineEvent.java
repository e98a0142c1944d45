package io.metalforge.api.machine;

import java.time.Instant;

/**
 * One event of a machine, as MAAS's {@code events/?op=query} lists them: status changes and the installer's reports.
 *
 * @param id          increasing id (the {@code after} cursor)
 * @param systemId    the machine
 * @param hostname    its host name when the event happened
 * @param type        short type, e.g. "Deploying", "Deployed", "Installation", "Failed deployment"
 * @param level       DEBUG, INFO, WARNING, ERROR or AUDIT
 * @param description what happened
 * @param username    who caused it, or ""
 * @param created     when
 */
public record MachineEvent(long id, String systemId, String hostname, String type, String level, String description,
        String username, Instant created) {
}
