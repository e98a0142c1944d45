package io.metalforge.catalog.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.Severity;
import io.metalforge.api.store.ResumableBlobStore;

/** Boot resources as the MAAS v2 API shows them ({@code boot_resource_to_dict}). */
final class ResourceJson {

    static final String PREFIX = "/MAAS/api/2.0/";

    private ResourceJson() {
    }

    static String resourceUri(long id) {
        return PREFIX + "boot-resources/" + id + "/";
    }

    static String uploadUri(long resourceId, long fileId) {
        return PREFIX + "boot-resources/" + resourceId + "/upload/" + fileId + "/";
    }

    /** The list form, without sets. */
    static Map<String, Object> summary(BootResource r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id());
        json.put("type", r.type().label());
        json.put("name", r.name());
        json.put("architecture", r.architecture());
        json.put("resource_uri", resourceUri(r.id()));
        json.put("last_deployed", r.lastDeployed() == null ? null : r.lastDeployed().toString());
        json.putAll(r.extra());
        if (!r.baseImage().isEmpty()) {
            json.put("base_image", r.baseImage());
        }
        return json;
    }

    /** The full form, with sets and files. */
    static Map<String, Object> full(BootResource r, CatalogService catalog) {
        Map<String, Object> json = summary(r);
        Map<String, Object> sets = new LinkedHashMap<>();
        ResumableBlobStore store = catalog.store();
        for (BootResourceSet set : catalog.sets(r.id())) {
            Map<String, Object> files = new LinkedHashMap<>();
            long size = 0;
            long received = 0;
            boolean complete = true;
            List<BootResourceFile> rows = catalog.files(set.id());
            for (BootResourceFile f : rows) {
                long arrived = f.complete() ? f.size() : partial(store, f.id());
                size += f.size();
                received += arrived;
                complete &= f.complete();
                files.put(f.filename(), file(r, f, arrived));
            }
            complete &= !rows.isEmpty();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("version", set.version());
            s.put("label", set.label());
            s.put("size", size);
            s.put("complete", complete);
            if (!complete) {
                s.put("progress", progress(received, size));
            }
            s.put("files", files);
            sets.put(set.version(), s);
        }
        json.put("sets", sets);
        return json;
    }

    private static Map<String, Object> file(BootResource r, BootResourceFile f, long arrived) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("filename", f.filename());
        json.put("filetype", f.filetype());
        json.put("sha256", f.sha256());
        json.put("filename_on_disk", f.filenameOnDisk());
        json.put("size", f.size());
        json.put("complete", f.complete());
        if (!f.complete()) {
            json.put("progress", progress(arrived, f.size()));
            // Metalforge: how many bytes arrived, so a client can resume after a dropped connection
            json.put("received", arrived);
            if (r.type() == ResourceType.UPLOADED) {
                json.put("upload_uri", uploadUri(r.id(), f.id()));
            }
        }
        ImageReport report = f.report();
        if (report != null) {
            json.put("image_format", report.format());
            json.put("image_verdict", verdict(report.verdict()));
            json.put("image_problems", report.reasons(Severity.WARNING));
        }
        return json;
    }

    static String verdict(Severity severity) {
        return switch (severity) {
            case INFO -> "ok";
            case WARNING -> "warning";
            case UNDEPLOYABLE -> "undeployable";
            case REJECTED -> "rejected";
        };
    }

    private static double progress(long received, long size) {
        return size == 0 ? 0.0 : 100.0 * received / size;
    }

    private static long partial(ResumableBlobStore store, long fileId) {
        try {
            return store.partialLength(Long.toString(fileId));
        } catch (IOException e) {
            return 0;
        }
    }
}
