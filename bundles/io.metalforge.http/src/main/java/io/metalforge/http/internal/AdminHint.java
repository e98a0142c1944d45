package io.metalforge.http.internal;

import java.sql.SQLException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** On a start with no administrator yet, says in one line how to create one. */
@Component(immediate = true)
public class AdminHint {

    static final String HINT = "metalforge: no administrator yet; create one with `bin/metalforge-admin createadmin "
            + "NAME` (or `metalforge:createadmin NAME` in the shell), then `maas login NAME "
            + "http://HOST:5240/MAAS/ KEY`";

    @Activate
    public AdminHint(BundleContext context, @Reference UserStore users) {
        if (context.getProperty(AdminCommandLine.COMMAND) != null) {
            return;
        }
        // checked in the background: it waits for the user store's schema, which must not hold up the start
        Thread check = new Thread(() -> {
            try {
                if (!users.hasAdmin()) {
                    System.out.println(HINT);
                }
            } catch (SQLException e) {
                System.err.println("metalforge: cannot check for an administrator: " + e.getMessage());
            }
        }, "metalforge-admin-hint");
        check.setDaemon(true);
        check.start();
    }
}
