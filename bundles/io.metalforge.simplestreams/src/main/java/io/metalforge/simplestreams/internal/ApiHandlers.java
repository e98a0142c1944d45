package io.metalforge.simplestreams.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiRequest;

/** Helpers shared by the API handlers of this bundle. */
final class ApiHandlers {

    private ApiHandlers() {
    }

    static long id(ApiRequest request, String name, String what) throws ApiException {
        String v = request.pathParameters().get(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiException.notFound("No " + what + " matches the given query.");
        }
    }


    /** The MAAS JSON of a synced resource; with sets (and their files) for read-by-id. */
    static Map<String, Object> resource(SyncedState.Resource r, boolean withSets, List<SyncedState.Resource> all,
            List<SyncPlan.PlannedSet> pending, ImportProgress progress) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", "Synced");
        m.put("name", r.name());
        m.put("architecture", r.architecture());
        m.put("resource_uri", "/MAAS/api/2.0/boot-resources/" + r.id() + "/");
        m.put("last_deployed", null);
        m.putAll(r.extra());
        if (r.kflavor() != null && r.bootloaderType() == null) {
            m.putIfAbsent("kflavor", r.kflavor());
        }
        if (r.bootloaderType() != null) {
            m.put("bootloader_type", r.bootloaderType());
        }
        if (!withSets) {
            return m;
        }
        Map<String, String> onDisk = filenamesOnDisk(all);
        Map<String, Object> sets = new TreeMap<>();
        for (SyncedState.Set_ s : r.sets().values()) {
            Map<String, Object> files = new TreeMap<>();
            for (SyncedState.File f : s.files().values()) {
                files.put(f.filename(), file(f, onDisk.get(f.sha256()), true, 100.0));
            }
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("version", s.version());
            sm.put("label", s.label());
            sm.put("size", s.size());
            sm.put("complete", true);
            sm.put("files", files);
            sets.put(s.version(), sm);
        }
        for (SyncPlan.PlannedSet p : pending) {
            if (!p.resource().key().equals(r.key()) || sets.containsKey(p.version())) {
                continue;
            }
            Map<String, Object> files = new TreeMap<>();
            long size = 0;
            long done = 0;
            for (var item : p.files()) {
                ImportProgress.FileProgress fp = progress.file(item.sha256());
                long d = fp == null ? 0 : Math.min(fp.done.get(), item.size());
                size += item.size();
                done += d;
                double pct = item.size() == 0 ? 100.0 : ImportProgress.round(100.0 * d / item.size());
                files.put(item.filename(), file(new SyncedState.File(item.filename(), item.ftype(), item.sha256(),
                        item.size(), item.extra()), item.sha256().substring(0, 7), d == item.size(), pct));
            }
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("version", p.version());
            sm.put("label", p.label());
            sm.put("size", size);
            sm.put("complete", false);
            sm.put("progress", size == 0 ? 0.0 : ImportProgress.round(100.0 * done / size));
            sm.put("files", files);
            sets.put(p.version(), sm);
        }
        m.put("sets", sets);
        return m;
    }

    private static Map<String, Object> file(SyncedState.File f, String onDisk, boolean complete, double progress) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("filename", f.filename());
        fm.put("filetype", f.filetype());
        fm.put("sha256", f.sha256());
        fm.put("filename_on_disk", onDisk == null ? f.sha256().substring(0, 7) : onDisk);
        fm.put("size", f.size());
        fm.put("complete", complete);
        if (!complete) {
            fm.put("progress", progress);
        }
        return fm;
    }

    /** Shortest unique sha256 prefix of at least 7 characters, shared by equal digests (spec §2.4). */
    static Map<String, String> filenamesOnDisk(List<SyncedState.Resource> all) {
        Set<String> shas = new HashSet<>();
        all.forEach(r -> r.sets().values().forEach(s -> s.files().values().forEach(f -> shas.add(f.sha256()))));
        List<String> sorted = new ArrayList<>(shas);
        java.util.Collections.sort(sorted);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            int len = 7;
            String s = sorted.get(i);
            if (i > 0) {
                len = Math.max(len, common(s, sorted.get(i - 1)) + 1);
            }
            if (i + 1 < sorted.size()) {
                len = Math.max(len, common(s, sorted.get(i + 1)) + 1);
            }
            out.put(s, s.substring(0, Math.min(64, len)));
        }
        return out;
    }

    private static int common(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }
}
