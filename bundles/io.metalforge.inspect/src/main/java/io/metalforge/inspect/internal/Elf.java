package io.metalforge.inspect.internal;

/** The machine type in an ELF header, named as MAAS names architectures. */
final class Elf {

    private Elf() {
    }

    /** "amd64", "arm64", ... for the first bytes of an ELF file; null when it is not ELF. */
    static String architecture(byte[] h) {
        if (h.length < 20 || h[0] != 0x7F || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
            return null;
        }
        boolean is64 = h[4] == 2;
        boolean little = h[5] == 1;
        int machine = little ? (h[18] & 0xFF) | (h[19] & 0xFF) << 8 : (h[19] & 0xFF) | (h[18] & 0xFF) << 8;
        return switch (machine) {
            case 0x3E -> "amd64";
            case 0xB7 -> "arm64";
            case 0x03 -> "i386";
            case 0x28 -> "armhf";
            case 0x15 -> little ? "ppc64el" : "ppc64";
            case 0x16 -> "s390x";
            case 0xF3 -> is64 ? "riscv64" : "riscv32";
            default -> String.format("elf-machine-0x%X", machine);
        };
    }
}
