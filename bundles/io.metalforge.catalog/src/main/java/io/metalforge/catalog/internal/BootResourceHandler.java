package io.metalforge.catalog.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.source.ImageImporter;

/** {@code boot-resources/{id}/}: read, delete and the image doctor's full reports. */
// activated on its first request: the API routes by these properties until then
@Component(service = ApiHandler.class,
        property = {ApiHandler.NAME_PROPERTY + "=BootResourceHandler",
                ApiHandler.PATH_PROPERTY + "=boot-resources/{id}/"}, configurationPolicy = ConfigurationPolicy.IGNORE)
public class BootResourceHandler implements ApiHandler {

    static final ApiAction READ = ApiAction.crud("GET", "Read a boot resource with its sets and files.",
            Access.AUTHENTICATED);
    static final ApiAction DELETE = ApiAction.crud("DELETE", "Delete a boot resource; its bytes are removed from the "
            + "image store unless another image shares them.", Access.ADMIN);
    static final ApiAction REPORT = ApiAction.op("GET", "report", """
            The image doctor's reports on the files of a boot resource.

            Format detected, verdict (ok, warning, undeployable, rejected) and every finding: os-release, kernel,
            cloud-init, netplan, curtin hooks, binary architecture for root tarballs; partition table, partitions and
            filesystems for disk images.
            """, Access.AUTHENTICATED);

    private final CatalogService catalog;
    private final ImageImporter importer;

    public BootResourceHandler(CatalogService catalog) {
        this(catalog, null);
    }

    /** With the image importer (optional): the set it is downloading shows with its live progress. */
    @Activate
    public BootResourceHandler(@Reference CatalogService catalog,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ImageImporter importer) {
        this.catalog = catalog;
        this.importer = importer;
    }

    @Override
    public String name() {
        return "BootResourceHandler";
    }

    @Override
    public String doc() {
        return "Manage a boot resource.";
    }

    @Override
    public String path() {
        return "boot-resources/{id}/";
    }

    @Override
    public List<ApiAction> actions() {
        return List.of(READ, DELETE, REPORT);
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        long id = parseId(request.pathParameters().get("id"));
        BootResource resource = catalog.resource(id)
                .orElseThrow(() -> ApiException.notFound("No BootResource matches the given query."));
        if (action.equals(DELETE)) {
            catalog.deleteResource(id);
            return ApiResponse.deleted();
        }
        if (action.equals(REPORT)) {
            Map<String, Object> reports = new LinkedHashMap<>();
            for (BootResourceSet set : catalog.sets(id)) {
                for (BootResourceFile file : catalog.files(set.id())) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("version", set.version());
                    entry.put("filename", file.filename());
                    entry.put("filetype", file.filetype());
                    entry.put("complete", file.complete());
                    entry.put("report", file.report());
                    reports.put(set.version() + "/" + file.filename(), entry);
                }
            }
            return ApiResponse.json(reports);
        }
        Map<String, Object> json = ResourceJson.full(resource, catalog);
        if (importer != null && resource.type() == ResourceType.SYNCED) {
            overlaySyncingSet(resource, json);
        }
        return ApiResponse.json(json);
    }

    /**
     * Adds the set the import is downloading, as MAAS shows one (complete false, progress on the set and its
     * incomplete files). It comes from the import's live counters, not the catalog: the catalog holds only
     * verified sets, so nothing incomplete can be deployed or counted as usable, and the download writes nothing
     * to the database per chunk. A complete set of the same version (being replaced) stays as the catalog has it.
     */
    @SuppressWarnings("unchecked")
    private void overlaySyncingSet(BootResource resource, Map<String, Object> json) {
        importer.syncingSet(resource.name(), resource.architecture()).ifPresent(set -> {
            Map<String, Object> sets = (Map<String, Object>) json.get("sets");
            sets.putIfAbsent((String) set.get("version"), set);
        });
    }

    static long parseId(String value) throws ApiException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiException.notFound("No BootResource matches the given query.");
        }
    }
}
