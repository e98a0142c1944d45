package io.metalforge.api.os;

/** What boot images of an OS can be used for (MAAS "boot image purposes"). */
public enum BootPurpose {
    COMMISSIONING, INSTALL, XINSTALL, DISKLESS, BOOTLOADER
}
