package io.metalforge.preseed.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks of client-given addresses, without name lookups. */
final class Addresses {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}");

    private Addresses() {
    }

    static boolean ipv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    static boolean ipv6(String s) {
        if (s == null || !s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            // a literal with a colon is parsed, never looked up
            return InetAddress.getByName(s).getAddress().length == 16;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static String requireIp(String what, String s) {
        if (!ipv4(s) && !ipv6(s)) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not an IP address");
        }
        return s;
    }

    /** "10.0.0.0/24" or "2001:db8::/64" with a prefix that fits the family. */
    static String requireCidr(String what, String s) {
        int slash = s == null ? -1 : s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a network in CIDR notation");
        }
        String ip = s.substring(0, slash);
        int max = ipv4(ip) ? 32 : ipv6(ip) ? 128 : -1;
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (max < 0 || prefix < 0 || prefix > max) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a network in CIDR notation");
        }
        return s;
    }

    static String requireMac(String what, String s) {
        if (s == null || !MAC.matcher(s).matches()) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a MAC address");
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
