package io.metalforge.power.ipmi.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerFailure.Kind;
import io.metalforge.api.power.PowerState;

/** Reads FreeIPMI's output the way MAAS does (§7.3): a state by regex, errors by substring. */
final class IpmiOutput {

    private static final Pattern STATE = Pattern.compile(":\\s*(on|off)");

    private record Rule(String text, Kind kind) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("username invalid", Kind.AUTHENTICATION),
            new Rule("password invalid", Kind.AUTHENTICATION),
            new Rule("password verification timeout", Kind.AUTHENTICATION),
            new Rule("k_g invalid", Kind.AUTHENTICATION),
            new Rule("privilege level insufficient", Kind.AUTHENTICATION),
            new Rule("privilege level cannot be obtained for this user", Kind.AUTHENTICATION),
            new Rule("authentication type unavailable", Kind.SETTING),
            new Rule("cipher suite id unavailable", Kind.SETTING),
            new Rule("ipmi 2.0 unavailable", Kind.SETTING),
            new Rule("device not found", Kind.SETTING),
            new Rule("could not find inband device", Kind.SETTING),
            new Rule("connection timeout", Kind.CONNECTION),
            new Rule("session timeout", Kind.CONNECTION),
            new Rule("driver timeout", Kind.CONNECTION),
            new Rule("message timeout", Kind.CONNECTION),
            new Rule("bmc busy", Kind.CONNECTION),
            // fatal in MAAS: reported as a tool failure, which is not retried
            new Rule("internal ipmi error", Kind.MISSING_TOOL));

    private IpmiOutput() {
    }

    /** The error MAAS would raise for this output, if any. */
    static Optional<PowerFailure> failure(String tool, String output) {
        String lower = output.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (lower.contains(rule.text())) {
                return Optional.of(new PowerFailure(rule.kind(), tool + ": " + rule.text()));
            }
        }
        return Optional.empty();
    }

    /** on/off from {@code ipmipower --stat}; none when the output says neither. */
    static Optional<PowerState> state(String output) {
        Matcher m = STATE.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1).equals("on") ? PowerState.ON : PowerState.OFF);
    }

    /** The first line, printable and short, for messages about unexpected output. */
    static String firstLine(String output) {
        String line = output.strip().lines().findFirst().orElse("(no output)");
        line = line.replaceAll("[^\\x20-\\x7e]", "?");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
