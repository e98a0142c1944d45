package io.metalforge.http.internal;

import java.sql.SQLException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.db.Database;
import io.metalforge.api.platform.PlatformConsole;

/** On a start with no administrator yet, says in one line how to create one. */
@Component(immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class AdminHint {

    static final String HINT = "metalforge: no administrator yet; create one with `bin/metalforge-admin createadmin "
            + "NAME` (or `metalforge:createadmin NAME` in the shell), then `maas login NAME "
            + "http://HOST:5240/MAAS/ KEY`";

    private final BundleContext context;
    private final Database database;
    private final UserStore users;
    private final PlatformConsole console;

    @Activate
    public AdminHint(BundleContext context, @Reference Database database, @Reference UserStore users,
            @Reference PlatformConsole console) {
        this.context = context;
        this.database = database;
        this.users = users;
        this.console = console;
    }

    @Activate
    void start() {
        if (context.getProperty(AdminCommandLine.COMMAND) != null) {
            return;
        }
        // checked while activating, so the hint comes before "metalforge ready" (which waits for this component).
        // A database this start created has no administrator: that is known without waiting for it to open, which
        // on a first start held the start-level thread until the new embedded database was created (about 50 ms)
        try {
            if (database.createdByThisStart() || !users.hasAdmin()) {
                console.println(HINT);
            }
        } catch (SQLException e) {
            console.println("metalforge: cannot check for an administrator: " + e.getMessage());
        }
    }
}
