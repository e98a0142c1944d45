package io.metalforge.http.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo: {@code metalforge:createadmin NAME [EMAIL]}, {@code metalforge:apikey list|create|revoke ...},
 * {@code metalforge:users}.
 */
@Component(service = UserCommands.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=createadmin", "osgi.command.function=apikey", "osgi.command.function=users" },
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class UserCommands {

    private final AdminCommands commands;

    @Activate
    public UserCommands(@Reference UserStore users) {
        this.commands = new AdminCommands(users);
    }

    @Descriptor("Show how to call metalforge:createadmin")
    public String createadmin() {
        return AdminCommands.USAGE;
    }

    @Descriptor("Create an administrator (or make a user one) and print a new API key once")
    public String createadmin(@Descriptor("user name") String username) {
        return commands.run("createadmin", username).output();
    }

    @Descriptor("Create an administrator (or make a user one) and print a new API key once")
    public String createadmin(@Descriptor("user name") String username, @Descriptor("e-mail address") String email) {
        return commands.run("createadmin", username, email).output();
    }

    @Descriptor("Show how to call metalforge:apikey")
    public String apikey() {
        return AdminCommands.USAGE;
    }

    @Descriptor("List API keys (apikey list)")
    public String apikey(@Descriptor("list") String action) {
        return commands.run("apikey", action).output();
    }

    @Descriptor("List a user's keys, create a key, or revoke one")
    public String apikey(@Descriptor("list, create or revoke") String action,
            @Descriptor("user name (list, create) or consumer key (revoke)") String argument) {
        return commands.run("apikey", action, argument).output();
    }

    @Descriptor("Create a named API key for a user")
    public String apikey(@Descriptor("create") String action, @Descriptor("user name") String argument,
            @Descriptor("a name for the key") String name) {
        return commands.run("apikey", action, argument, name).output();
    }

    @Descriptor("List the users")
    public String users() {
        return commands.run("users").output();
    }
}
