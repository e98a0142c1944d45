package io.metalforge.api.machine;

import java.util.List;
import java.util.Objects;

/**
 * A report from the installing machine (curtin's or cloud-init's webhook handler, MAAS's {@code status/<system_id>}).
 *
 * @param eventType   "start", "progress" or "finish"
 * @param origin      "curtin", "cloudinit", ...
 * @param name        the stage, e.g. "cmd-install" (a top-level stage has no "/")
 * @param description what is happening
 * @param result      "SUCCESS", "FAIL", "FAILURE", "WARN" for finish events, or ""
 * @param files       files the installer posted (logs), already decoded and bounded
 */
public record InstallerEvent(String eventType, String origin, String name, String description, String result,
        List<InstallerFile> files) {

    public InstallerEvent {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(name, "name");
        origin = origin == null ? "" : origin;
        description = description == null ? "" : description;
        result = result == null ? "" : result;
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A finish event of a top-level stage that failed: MAAS then fails the deployment. */
    public boolean topLevelFailure() {
        return "finish".equals(eventType) && !name.contains("/")
                && ("FAIL".equals(result) || "FAILURE".equals(result));
    }

    /** A file an installer posted with its event. */
    public record InstallerFile(String path, byte[] content) {
        public InstallerFile {
            Objects.requireNonNull(path, "path");
            content = content == null ? new byte[0] : content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }
}
