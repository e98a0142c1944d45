package io.metalforge.metadata.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.machine.MachineInfo;
import io.metalforge.api.machine.MachineService;

/**
 * The metadata service's routes (relative to /MAAS/metadata/), as one table. Each route is registered as its own
 * {@link ApiHandler} with {@code metalforge.api=metadata}, because the whiteboard (the http bundle's metadata
 * servlet, with node-token OAuth) routes by a handler's one path; one component registers them all, so they come
 * and go together with the {@link MachineService} they read.
 *
 * <p>
 * The installed system reads {@code <version>/...} and curtin reads {@code curtin/<version>/...}: the same
 * routes under another prefix and name, except what user-data is. For the installed system it is the user data
 * given at deploy time (may be empty), and its first request ends the deployment (Deploying → Deployed), as MAAS's
 * end_deployment; for curtin it is curtin's configuration for this machine and image.
 */
@Component(service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class MetadataRoutes {

    /** The service property that puts a handler under /MAAS/metadata/. */
    static final Map<String, Object> PROPERTIES = Map.of("metalforge.api", "metadata");
    /** What cloud-init's MAAS datasource reads under meta-data/. */
    static final String ITEMS = "instance-id\nlocal-hostname\npublic-keys\nvendor-data\n";
    static final ApiAction READ_META_DATA = ApiAction.crud("GET", "Read meta-data.", Access.AUTHENTICATED);
    static final ApiAction READ_USER_DATA = ApiAction.crud("GET", "Read user-data.", Access.AUTHENTICATED);

    /** Who reads a family of routes, and under which prefix and name. */
    enum Reader {
        INSTALLED_SYSTEM("", ""), CURTIN("curtin/", "Curtin");

        final String pathPrefix;
        final String namePrefix;

        Reader(String pathPrefix, String namePrefix) {
            this.pathPrefix = pathPrefix;
            this.namePrefix = namePrefix;
        }

        MetadataRoute route(String name, String path, ApiAction action, MetadataRoute.Answer answer) {
            return route(name, path, List.of(action), answer);
        }

        MetadataRoute route(String name, String path, List<ApiAction> actions, MetadataRoute.Answer answer) {
            return new MetadataRoute(namePrefix + name, pathPrefix + path, actions, answer);
        }
    }

    private final List<ServiceRegistration<ApiHandler>> registrations = new ArrayList<>();

    @Activate
    public MetadataRoutes(@Reference MachineService machines, BundleContext context) {
        for (ApiHandler route : routes(machines)) {
            registrations.add(context.registerService(ApiHandler.class, route,
                    FrameworkUtil.asDictionary(PROPERTIES)));
        }
    }

    @Deactivate
    void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    /** Every route of the metadata service, answering from {@code machines}. */
    public static List<ApiHandler> routes(MachineService machines) {
        NodeTokens nodes = new NodeTokens(machines);
        List<ApiHandler> routes = new ArrayList<>();
        routes.add(new MetadataRoute("MetadataByIdHandler", "{version}/by-id/{system_id}/", ByIdRequests.ACTIONS,
                new ByIdRequests(nodes)::answer));
        routes.add(new MetadataRoute("StatusHandler", "status/{system_id}/", List.of(StatusEvents.POST),
                new StatusEvents(nodes)::answer));
        Signals signals = new Signals(nodes);
        for (Reader reader : Reader.values()) {
            routes.add(reader.route("VersionIndexHandler", "{version}/", Signals.ACTIONS, signals::answer));
            routes.add(reader.route("MetaDataIndexHandler", "{version}/meta-data/", READ_META_DATA, (action, r) -> {
                nodes.node(r);
                return MetadataRoute.text(ITEMS);
            }));
            routes.add(reader.route("MetaDataItemHandler", "{version}/meta-data/{item}/", READ_META_DATA,
                    (action, r) -> metaData(nodes.node(r), r.pathParameters().get("item"))));
            routes.add(reader.route("UserDataHandler", "{version}/user-data/", READ_USER_DATA, switch (reader) {
                case INSTALLED_SYSTEM -> (action, r) -> {
                    MachineInfo m = nodes.node(r);
                    byte[] userData = nodes.deployment(m).userData();
                    machines.installedSystemStarted(m.systemId());
                    return MetadataRoute.octets(userData);
                };
                case CURTIN -> (action, r) -> MetadataRoute.octets(
                        Documents.curtin(nodes.deployment(nodes.node(r))).getBytes(StandardCharsets.UTF_8));
            }));
        }
        return List.copyOf(routes);
    }

    /** One item of meta-data/: instance-id (the system id), local-hostname (the fqdn), public-keys, vendor-data. */
    static ApiResponse metaData(MachineInfo m, String item) throws ApiException {
        return switch (item) {
            case "instance-id" -> MetadataRoute.text(m.systemId());
            case "local-hostname" -> MetadataRoute.text(m.fqdn());
            case "public-keys" -> MetadataRoute.text("");
            case "vendor-data" -> MetadataRoute.octets(Documents.vendorData().getBytes(StandardCharsets.UTF_8));
            default -> throw ApiException.notFound("Unknown metadata attribute: "
                    + item.replaceAll("[^\\x20-\\x7e]", "?"));
        };
    }
}
