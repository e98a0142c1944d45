package io.metalforge.http.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo: {@code metalforge:createadmin NAME [EMAIL]}, {@code metalforge:apikey list|create|revoke ...},
 * {@code metalforge:users}.
 */
@Component(service = UserCommands.class, property = { "osgi.command.scope=metalforge",
        "osgi.command.function=createadmin", "osgi.command.function=apikey", "osgi.command.function=users" })
public class UserCommands {

    private final AdminCommands commands;

    @Activate
    public UserCommands(@Reference UserStore users) {
        this.commands = new AdminCommands(users);
    }

    public String createadmin(String username) {
        return commands.run("createadmin", username).output();
    }

    public String createadmin(String username, String email) {
        return commands.run("createadmin", username, email).output();
    }

    public String apikey(String action) {
        return commands.run("apikey", action).output();
    }

    public String apikey(String action, String argument) {
        return commands.run("apikey", action, argument).output();
    }

    public String apikey(String action, String argument, String name) {
        return commands.run("apikey", action, argument, name).output();
    }

    public String users() {
        return commands.run("users").output();
    }
}
