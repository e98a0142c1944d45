package io.metalforge.api.boot;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the boot servers (HTTP, TFTP) serve, whatever the protocol: boot method configs, bootloaders and
 * {@code images/<sha256 prefix>/...} from the blob store. Also the log of recent boot requests per machine.
 */
@ProviderType
public interface BootFiles {

    /**
     * The file for a decoded request path ('/' separated; a leading '/' is ignored; '\' counts as '/'), or empty when
     * there is none: unknown MAC, unknown hash, a path leaving its folder.
     *
     * @param client       the client's IP address
     * @param localAddress the IP address of this server the request arrived on (the advertised host unless one is
     *                     configured)
     */
    Optional<BootFile> resolve(String path, BootProtocol protocol, String client, String localAddress);

    /** Records an answered request (the servers call it once per request). */
    void record(BootRequestRecord request);

    /** The most recent requests of each MAC seen, oldest first; "" collects requests of unknown clients. */
    Map<String, List<BootRequestRecord>> recentRequests();
}
