package io.metalforge.http.internal;

import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * User and key administration, shared by the Gogo commands and the command-line mode:
 * <pre>
 * createadmin USERNAME [EMAIL]      create an administrator (or make a user one) and print a new API key
 * apikey list [USERNAME]            list keys (consumer:token, never secrets)
 * apikey create USERNAME [NAME]     create a key and print it (the only time the secret is shown)
 * apikey revoke KEY                 revoke a key (consumer key, consumer:token or the full key)
 * users                             list users
 * </pre>
 */
final class AdminCommands {

    static final String USAGE = """
            usage: createadmin USERNAME [EMAIL]
                   apikey list [USERNAME]
                   apikey create USERNAME [NAME]
                   apikey revoke KEY
                   users""";

    /** Output and exit code of a command. */
    record Result(int exitCode, String output) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final UserStore users;

    AdminCommands(UserStore users) {
        this.users = users;
    }

    Result run(List<String> args) {
        try {
            if (args.isEmpty()) {
                return new Result(2, USAGE);
            }
            return switch (args.get(0)) {
            case "createadmin" -> args.size() < 2 || args.size() > 3 ? new Result(2, USAGE)
                    : createAdmin(args.get(1), args.size() > 2 ? args.get(2) : "");
            case "apikey" -> apikey(args.subList(1, args.size()));
            case "users" -> users();
            default -> new Result(2, "unknown command: " + args.get(0) + "\n" + USAGE);
            };
        } catch (IllegalArgumentException e) {
            return new Result(1, e.getMessage());
        } catch (SQLException e) {
            return new Result(1, "database error: " + e.getMessage());
        }
    }

    Result run(String... args) {
        return run(Arrays.asList(args));
    }

    private Result createAdmin(String username, String email) throws SQLException {
        UserStore.checkUsername(username);
        String note;
        if (users.createUser(username, email, true)) {
            note = "Administrator " + username + " created.";
        } else {
            users.setAdmin(username, true);
            users.setActive(username, true);
            note = "User " + username + " exists; it is an active administrator now.";
        }
        ApiKey key = users.createKey(username, "createadmin").orElseThrow();
        return new Result(0, note + "\nAPI key (shown once, keep it secret):\n" + key.formatted());
    }

    private Result apikey(List<String> args) throws SQLException {
        if (args.isEmpty()) {
            return new Result(2, USAGE);
        }
        switch (args.get(0)) {
        case "list": {
            String who = args.size() > 1 ? args.get(1) : null;
            List<UserStore.KeyInfo> keys = users.keys(who);
            if (keys.isEmpty()) {
                return new Result(0, who == null ? "no API keys" : "no API keys for " + who);
            }
            StringBuilder out = new StringBuilder(String.format("%-16s %s  %s  %s%n", "USER", "CONSUMER:TOKEN",
                    "CREATED", "NAME"));
            for (UserStore.KeyInfo k : keys) {
                out.append(String.format("%-16s %s:%s  %s  %s%n", k.username(), k.consumerKey(), k.tokenKey(),
                        TIME.format(k.created()), k.name()));
            }
            return new Result(0, out.toString().stripTrailing());
        }
        case "create": {
            if (args.size() < 2 || args.size() > 3) {
                return new Result(2, USAGE);
            }
            Optional<ApiKey> key = users.createKey(args.get(1), args.size() > 2 ? args.get(2) : "");
            return key.map(k -> new Result(0, k.formatted()))
                    .orElseGet(() -> new Result(1, "no such user: " + args.get(1)));
        }
        case "revoke": {
            if (args.size() != 2) {
                return new Result(2, USAGE);
            }
            return users.revokeKey(args.get(1), null) ? new Result(0, "revoked")
                    : new Result(1, "no such API key");
        }
        default:
            return new Result(2, USAGE);
        }
    }

    private Result users() throws SQLException {
        StringBuilder out = new StringBuilder();
        for (UserAccount u : users.users()) {
            if (out.length() == 0) {
                out.append(String.format("%-16s %-30s %s%n", "USER", "EMAIL", "ROLE"));
            }
            out.append(String.format("%-16s %-30s %s%s%n", u.username(), u.email(), u.admin() ? "admin" : "user",
                    u.active() ? "" : " (inactive)"));
        }
        return new Result(0, out.length() == 0 ? "no users" : out.toString().stripTrailing());
    }
}
