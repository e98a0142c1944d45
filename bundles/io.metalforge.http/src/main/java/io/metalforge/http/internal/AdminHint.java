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
    public AdminHint(BundleContext context, @Reference UserStore users) throws SQLException {
        if (context.getProperty(AdminCommandLine.COMMAND) == null && !users.hasAdmin()) {
            System.out.println(HINT);
        }
    }
}
