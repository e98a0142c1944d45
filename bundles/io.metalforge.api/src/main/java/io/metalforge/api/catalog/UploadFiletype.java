package io.metalforge.api.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The filetypes a client may upload, with the filetype and filename MAAS stores for each (spec §3.1).
 */
public enum UploadFiletype {
    TGZ("tgz", "root-tgz", "root.tgz"),
    TBZ("tbz", "root-tbz", "root.tbz"),
    TXZ("txz", "root-txz", "root.txz"),
    DDTGZ("ddtgz", "root-dd", "root-dd"),
    DDTBZ("ddtbz", "root-dd.tar.bz2", "root-dd.tar.bz2"),
    DDTXZ("ddtxz", "root-dd.tar.xz", "root-dd.tar.xz"),
    DDTAR("ddtar", "root-dd.tar", "root-dd.tar"),
    DDBZ2("ddbz2", "root-dd.bz2", "root-dd.bz2"),
    DDGZ("ddgz", "root-dd.gz", "root-dd.gz"),
    DDXZ("ddxz", "root-dd.xz", "root-dd.xz"),
    DDRAW("ddraw", "root-dd.raw", "root-dd.raw"),
    /** v3 only. */
    SELF_EXTRACTING("self-extracting", "self-extracting", "installer.bin");

    private final String upload;
    private final String filetype;
    private final String filename;

    UploadFiletype(String upload, String filetype, String filename) {
        this.upload = upload;
        this.filetype = filetype;
        this.filename = filename;
    }

    /** The value clients send ("tgz"). */
    public String upload() {
        return upload;
    }

    /** The stored filetype ("root-tgz"). */
    public String filetype() {
        return filetype;
    }

    /** The stored filename ("root.tgz"). */
    public String filename() {
        return filename;
    }

    /** The v2 upload values, in MAAS's order. */
    public static List<String> v2Values() {
        return Arrays.stream(values()).filter(t -> t != SELF_EXTRACTING).map(UploadFiletype::upload).toList();
    }

    /** By upload value ("tgz") or stored filetype ("root-tgz"). */
    public static Optional<UploadFiletype> find(String value) {
        return Arrays.stream(values()).filter(t -> t.upload.equals(value) || t.filetype.equals(value)).findFirst();
    }
}
