package io.metalforge.metadata.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.MachineService;

/**
 * The user-data routes: {@code curtin/<version>/user-data} is curtin's configuration for this machine and image;
 * {@code <version>/user-data} is what the installed system reads, and its first request ends the deployment
 * (Deploying → Deployed), as MAAS's end_deployment.
 */
public final class UserDataHandlers {

    static final ApiAction READ = ApiAction.crud("GET", "Read user-data.", Access.AUTHENTICATED);

    private UserDataHandlers() {
    }

    /** {@code <version>/user-data}: the user data given at deploy time (may be empty). */
    @Component(service = ApiHandler.class, property = MetadataHandler.PROPERTY)
    public static class Installed extends MetadataHandler {
        @Activate
        public Installed(@Reference MachineService machines) {
            super(machines, "UserDataHandler", "{version}/user-data/", List.of(READ));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
            MachineInfo m = node(r);
            byte[] userData = deployment(m).userData();
            machines.installedSystemStarted(m.systemId());
            return octets(userData);
        }
    }

    /** {@code curtin/<version>/user-data}: the curtin configuration. */
    @Component(service = ApiHandler.class, property = MetadataHandler.PROPERTY)
    public static class Curtin extends MetadataHandler {
        @Activate
        public Curtin(@Reference MachineService machines) {
            super(machines, "CurtinUserDataHandler", "curtin/{version}/user-data/", List.of(READ));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
            return octets(Documents.curtin(deployment(node(r))).getBytes(StandardCharsets.UTF_8));
        }
    }
}
