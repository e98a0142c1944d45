package io.metalforge.api.inspect;

import java.util.List;
import java.util.Map;

/**
 * What a root tarball holds.
 *
 * @param osId          ID from os-release, "" when missing
 * @param osVersionId   VERSION_ID from os-release, "" when missing
 * @param kernels       kernel files found (/boot/vmlinuz-*, /lib/modules/{version}/vmlinuz, ...)
 * @param cloudInit     whether cloud-init is installed
 * @param netplan       whether netplan is installed
 * @param curtinHooks   curtin hook files (/curtin/curtin-hooks*)
 * @param architectures ELF binaries sampled per architecture (amd64, arm64, ...)
 * @param entries       tar entries read
 */
public record RootFilesystem(String osId, String osVersionId, List<String> kernels, boolean cloudInit,
        boolean netplan, List<String> curtinHooks, Map<String, Integer> architectures, long entries) {
    public RootFilesystem {
        kernels = List.copyOf(kernels);
        curtinHooks = List.copyOf(curtinHooks);
        architectures = Map.copyOf(architectures);
    }
}
