package io.metalforge.api.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a shell command is called, e.g. {@code metalforge:upload <file> <name> [architecture]}, and the one answer to
 * any call with the wrong number of arguments.
 *
 * <p>
 * Gogo calls the method whose parameter count matches the call and prefers it to a varargs method; without a
 * match it fails with a coercion error. So a command declares its working forms with described parameters and one
 * varargs method that returns {@link #misuse(String...)}: a bare call prints the usage, a call that stops short
 * names what is missing, a call with too many arguments says so.
 */
public final class CommandUsage {

    /** The description of a command's varargs method that answers with {@link #misuse(String...)}. */
    public static final String WRONG_ARGUMENTS = "fewer or more arguments than any other form takes: prints the usage";

    private static final Pattern PARAMETER = Pattern.compile("<[^>]*>|\\[[^\\]]*\\]");

    private final String command;
    private final String text;
    private final List<String> required;
    private final int most;

    private CommandUsage(String command, String parameters, String note) {
        this.command = command;
        this.text = "Usage: " + command + (parameters.isEmpty() ? "" : " " + parameters)
                + (note.isEmpty() ? "" : "\n  " + note);
        List<String> names = new ArrayList<>();
        int count = 0;
        boolean variadic = false;
        Matcher m = PARAMETER.matcher(parameters);
        while (m.find()) {
            count++;
            variadic |= m.group().contains("...");
            if (m.group().startsWith("<")) {
                names.add(m.group());
            }
        }
        this.required = List.copyOf(names);
        this.most = variadic ? Integer.MAX_VALUE : count;
    }

    /**
     * The usage of {@code command} (with its scope, {@code metalforge:upload}); {@code parameters} names the
     * required ones in angle brackets before the optional ones in square brackets, a repeatable one ending in
     * "...".
     */
    public static CommandUsage of(String command, String parameters) {
        return new CommandUsage(command, parameters, "");
    }

    /** As {@link #of(String, String)}, with a line of explanation under the usage. */
    public static CommandUsage of(String command, String parameters, String note) {
        return new CommandUsage(command, parameters, note);
    }

    /** The answer to a call with {@code given} arguments that no form of the command takes. */
    public String misuse(String... given) {
        int n = given == null ? 0 : given.length;
        if (n == 0) {
            return text;
        }
        if (n < required.size()) {
            return refuse(command + " needs " + String.join(" ", required.subList(n, required.size())) + ".");
        }
        if (n > most) {
            return refuse(command + " takes at most " + most + " argument" + (most == 1 ? "" : "s") + ", not "
                    + n + ".");
        }
        return text;
    }

    /** {@code problem} (e.g. "Not a boot source id: x"), then the usage. */
    public String refuse(String problem) {
        return problem + "\n" + text;
    }

    /** The usage: "Usage: " and the command with its parameters, and the note, if any, on a line under it. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
