package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.platform.internal.TerminalConsole;

class CommandsTest {

    @TempDir
    Path dir;

    @Test
    void uploadWithProgressThenListShowAndDelete() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        Path file = dir.resolve("packer-output.tgz");
        Files.write(file, Images.ubuntuTgz(false, 9 << 20, 21));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        UploadCommand upload = new UploadCommand(p.uploads, new TerminalConsole(new PrintStream(captured, true)));
        ImagesCommand images = new ImagesCommand(p.catalog);

        PrintStream console = System.out;
        String shown;
        try {
            System.setOut(new PrintStream(captured, true));
            shown = upload.upload(file.toString(), "packer-noble", "amd64/generic", "tgz", "ubuntu/noble");
        } finally {
            System.setOut(console);
        }
        assertTrue(captured.toString().contains("[########################################]  100%"),
                captured::toString);
        assertTrue(shown.contains("root.tgz") && shown.contains("complete"), shown);
        assertTrue(shown.contains("custom image with an ubuntu base lacks netplan: deployment would abort"), shown);

        String list = images.images("list", "uploaded");
        assertTrue(list.contains("packer-noble") && list.contains("ubuntu/noble") && list.contains("complete"), list);
        assertTrue(images.images().contains("ubuntu/noble"));
        assertTrue(images.images("metrics").contains("{base_image=\"ubuntu/noble\",file_type=\"root-tgz\"} 1"));
        long id = p.catalog.resources(java.util.Optional.of(io.metalforge.api.catalog.ResourceType.UPLOADED)).get(0)
                .id();
        assertEquals("Deleted boot resource " + id, images.images("delete", Long.toString(id)));
        assertEquals("No boot resource " + id, images.images("show", Long.toString(id)));
        // an orphan blob older than the grace period goes, the synced image's stay
        byte[] orphan = "orphan".getBytes();
        p.store.write(Images.sha256(orphan), orphan.length, new java.io.ByteArrayInputStream(orphan));
        Files.setLastModifiedTime(dir.resolve("blobs").resolve(Images.sha256(orphan)),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
        assertEquals("Removed 1 unreferenced blobs: [" + Images.sha256(orphan) + "]", images.images("gc"));
        assertEquals("Removed 0 unreferenced blobs", images.images("gc"));
    }

    @Test
    void progressBarRendering() {
        UploadCommand.ProgressBar bar = new UploadCommand.ProgressBar(null, 4L << 30, 0);
        assertEquals("[##########..............................]   25%  1.0 GiB of 4.0 GiB  512.0 MiB/s",
                bar.render(1L << 30, 2.0));
    }
}
