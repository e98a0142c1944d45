package io.metalforge.api.os;

/**
 * How the installed system's package manager is told about the region's HTTP proxy, and so which package
 * configuration the composer writes for it.
 *
 * @since 1.1
 */
public enum PackageProxy {
    /** Debian family: curtin writes apt sources and proxy, and installs the kernel package. */
    APT,
    /** Red Hat family: a late command appends {@code proxy=} to {@code /etc/yum.conf}. */
    YUM,
    /** Nothing is configured; the image brings its own package configuration. */
    NONE
}
