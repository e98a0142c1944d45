package io.metalforge.api.boot;

/** How a firmware or bootloader asked for a file. */
public enum BootProtocol {
    HTTP, TFTP
}
