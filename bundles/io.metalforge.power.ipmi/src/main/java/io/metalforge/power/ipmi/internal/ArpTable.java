package io.metalforge.power.ipmi.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** IP addresses by MAC address, for BMCs given by MAC only (MAAS finds them by ARP). */
@FunctionalInterface
interface ArpTable {

    Optional<String> addressOf(String mac);

    /** Linux's /proc/net/arp: "IP HWtype Flags HWaddress Mask Device". */
    ArpTable SYSTEM = mac -> {
        try {
            return parse(Files.readAllLines(Path.of("/proc/net/arp")), mac);
        } catch (IOException e) {
            return Optional.empty();
        }
    };

    static Optional<String> parse(List<String> lines, String mac) {
        String wanted = mac.toLowerCase(Locale.ROOT).replace('-', ':');
        return lines.stream().skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 4)
                .filter(f -> f[3].toLowerCase(Locale.ROOT).equals(wanted)).map(f -> f[0]).findFirst();
    }
}
