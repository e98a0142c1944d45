package io.metalforge.api.source;

/** The three product shapes a MAAS SimpleStreams mirror carries. */
public enum ProductShape {
    /** Ubuntu: kernel, initrd and a root image (squashfs or root-image.gz) per version. */
    MULTI_FILE,
    /** Single-file bases such as CentOS: one root-tgz per version. */
    SINGLE_FILE,
    /** Bootloaders: one or more archive.tar.xz per version. */
    BOOTLOADER
}
