package io.metalforge.boot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.metalforge.api.boot.BootFile;

/**
 * Where bootloader files come from, in order: the operator's folder, then the bootloaders the image sync extracted
 * from the streams' bootloader products ({@code <synced>/<type>/<arch>/}: pxelinux, grub-efi-signed, ...), as MAAS
 * links them into its TFTP root. The synced folders are looked up on each request, so a sync that swaps in a new
 * version is served at once.
 */
final class Bootloaders {

    private final BootloaderFolder operator;
    private final Path synced;

    Bootloaders(Path operatorFolder, Path syncedRoot) {
        this.operator = new BootloaderFolder(operatorFolder);
        this.synced = syncedRoot.toAbsolutePath().normalize();
    }

    BootloaderFolder operator() {
        return operator;
    }

    Optional<BootFile> find(String relative) {
        Optional<BootFile> own = operator.find(relative);
        if (own.isPresent()) {
            return own;
        }
        for (BootloaderFolder folder : syncedFolders()) {
            Optional<BootFile> f = folder.find(relative);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /** {@code <synced>/<type>/<arch>/} folders, sorted (for example pxe/i386, uefi/amd64, uefi/arm64). */
    List<BootloaderFolder> syncedFolders() {
        List<BootloaderFolder> folders = new ArrayList<>();
        if (!Files.isDirectory(synced)) {
            return folders;
        }
        try (Stream<Path> types = Files.list(synced)) {
            for (Path type : types.filter(Files::isDirectory).sorted().toList()) {
                if (type.getFileName().toString().startsWith(".")) {
                    continue; // an extraction in progress
                }
                try (Stream<Path> arches = Files.list(type)) {
                    arches.filter(Files::isDirectory).filter(a -> !a.getFileName().toString().startsWith("."))
                            .sorted().forEach(a -> folders.add(new BootloaderFolder(a)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: nothing synced to serve
        }
        return folders;
    }

    /** Every folder with what it holds, for the shell and the start-up line. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        List<BootloaderFolder> all = new ArrayList<>();
        all.add(operator);
        all.addAll(syncedFolders());
        for (BootloaderFolder f : all) {
            List<String> files = f.list();
            if (!files.isEmpty()) {
                lines.add(f.root() + ": " + files.size() + " files");
                files.forEach(n -> lines.add("  " + n));
            }
        }
        return lines;
    }
}
