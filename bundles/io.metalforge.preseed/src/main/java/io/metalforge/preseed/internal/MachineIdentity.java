package io.metalforge.preseed.internal;

import java.util.regex.Pattern;

import io.metalforge.api.deploy.Machine;

/**
 * Checks of the names that end up in URLs, file names and documents (system id, host name, domain, architecture),
 * so that client input cannot reshape them.
 */
final class MachineIdentity {

    private static final Pattern SYSTEM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("(" + LABEL.pattern() + ")(\\." + LABEL.pattern() + ")*");
    private static final Pattern ARCH = Pattern.compile("[a-z0-9_]{1,16}");
    private static final Pattern SUBARCH = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    private MachineIdentity() {
    }

    static void check(Machine m) {
        require(SYSTEM_ID, m.systemId(), "system id");
        require(LABEL, m.hostname(), "host name");
        require(DOMAIN, m.domain(), "domain");
        require(ARCH, m.architecture(), "architecture");
        require(SUBARCH, m.subarch(), "subarchitecture");
        if (m.domain().length() > 253) {
            throw new IllegalArgumentException("domain is longer than 253 characters");
        }
        if (m.searchDomains().size() > 16 || m.dnsServers().size() > 16) {
            throw new IllegalArgumentException("at most 16 DNS servers and 16 search domains");
        }
        m.searchDomains().forEach(d -> require(DOMAIN, d, "search domain"));
        m.dnsServers().forEach(d -> Addresses.requireIp("DNS server", d));
    }

    private static void require(Pattern p, String value, String what) {
        if (value == null || !p.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is not valid");
        }
    }
}
