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
 * The meta-data routes, for the installed system ({@code <version>/meta-data/...}) and for the installer
 * ({@code curtin/<version>/meta-data/...}): the index and the items cloud-init's MAAS datasource reads,
 * instance-id (the system id), local-hostname (the fqdn), public-keys (none yet) and vendor-data (YAML).
 */
public final class MetaDataHandlers {

    static final String ITEMS = "instance-id\nlocal-hostname\npublic-keys\nvendor-data\n";
    static final ApiAction READ = ApiAction.crud("GET", "Read meta-data.", Access.AUTHENTICATED);

    private MetaDataHandlers() {
    }

    static ApiResponse item(MachineInfo m, String item) throws ApiException {
        return switch (item) {
            case "instance-id" -> MetadataHandler.text(m.systemId());
            case "local-hostname" -> MetadataHandler.text(m.fqdn());
            case "public-keys" -> MetadataHandler.text("");
            case "vendor-data" -> MetadataHandler.octets(Documents.vendorData().getBytes(StandardCharsets.UTF_8));
            default -> throw ApiException.notFound("Unknown metadata attribute: " + item.replaceAll("[^\\x20-\\x7e]",
                    "?"));
        };
    }

    /** {@code <version>/meta-data/}. */
    @Component(service = ApiHandler.class, property = MetadataHandler.PROPERTY)
    public static class Index extends MetadataHandler {
        @Activate
        public Index(@Reference MachineService machines) {
            super(machines, "MetaDataIndexHandler", "{version}/meta-data/", List.of(READ));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
            node(r);
            return text(ITEMS);
        }
    }

    /** {@code <version>/meta-data/<item>}. */
    @Component(service = ApiHandler.class, property = MetadataHandler.PROPERTY)
    public static class Item extends MetadataHandler {
        @Activate
        public Item(@Reference MachineService machines) {
            super(machines, "MetaDataItemHandler", "{version}/meta-data/{item}/", List.of(READ));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
            return item(node(r), r.pathParameters().get("item"));
        }
    }

    /** {@code curtin/<version>/meta-data/}. */
    @Component(service = ApiHandler.class, property = MetadataHandler.PROPERTY)
    public static class CurtinIndex extends MetadataHandler {
        @Activate
        public CurtinIndex(@Reference MachineService machines) {
            super(machines, "CurtinMetaDataIndexHandler", "curtin/{version}/meta-data/", List.of(READ));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
            node(r);
            return text(ITEMS);
        }
    }

    /** {@code curtin/<version>/meta-data/<item>}. */
    @Component(service = ApiHandler.class, property = MetadataHandler.PROPERTY)
    public static class CurtinItem extends MetadataHandler {
        @Activate
        public CurtinItem(@Reference MachineService machines) {
            super(machines, "CurtinMetaDataItemHandler", "curtin/{version}/meta-data/{item}/", List.of(READ));
        }

        @Override
        public ApiResponse handle(ApiAction action, ApiRequest r) throws ApiException {
            return item(node(r), r.pathParameters().get("item"));
        }
    }
}
