package io.metalforge.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
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
        assertTrue(shown.contains(("custom image with an ubuntu base lacks netplan: deployment would abort "
                + "(looked for /usr/sbin/netplan, "
                + "/usr/bin/netplan, /sbin/netplan, /bin/netplan, /usr/share/netplan/netplan.script, "
                + "/usr/lib/netplan/generate)")), shown);

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
    void inspectTakesTheUploadsArgumentsAndGivesItsVerdict() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        Path golden = dir.resolve("golden.tgz");
        Files.write(golden, Images.ubuntuTgz(false, 100_000, 22)); // no netplan
        InspectCommand inspect = new InspectCommand(p.uploads);
        UploadCommand upload = new UploadCommand(p.uploads,
                new TerminalConsole(new PrintStream(new ByteArrayOutputStream(), true)));

        // the README's call: the default base image of a custom name applies, as it does for the upload
        String judged = inspect.inspect(golden.toString(), "custom/golden");
        assertTrue(judged.contains("Judged as:    custom/golden, amd64/generic, root-tgz, base image ubuntu/noble"),
                judged);
        assertTrue(judged.contains("Verdict:      undeployable"), judged);
        assertTrue(judged.contains("lacks netplan: deployment would abort (looked for /usr/sbin/netplan"), judged);
        String uploaded = upload.upload(golden.toString(), "custom/golden");
        assertTrue(uploaded.contains("doctor: gzip-compressed tar archive, undeployable"), uploaded);
        // the same bytes again, declared as a disk image: refused although they are stored already
        String again = upload.upload(golden.toString(), "custom/golden-dd", "amd64/generic", "ddxz");
        assertTrue(again.startsWith("Upload refused: Declared filetype root-dd.xz"), again);

        // a filetype the content does not have: refused by both, with the same words
        String asDisk = inspect.inspect(golden.toString(), "custom/golden-dd", "amd64/generic", "ddxz");
        assertTrue(asDisk.contains("Verdict:      rejected"), asDisk);
        assertTrue(asDisk.contains("Declared filetype root-dd.xz"), asDisk);

        // an OS name has no base image: the report says what could not be checked
        String centos = inspect.inspect(golden.toString(), "centos/golden", "amd64/generic", "root-tgz");
        assertTrue(centos.contains("base image none"), centos);
        assertTrue(centos.contains("no base image given: not checked whether the base OS's installer needs "
                + "cloud-init or netplan"), centos);

        // bad values are the upload's refusals, with the valid choices
        String arch = inspect.inspect(golden.toString(), "golden", "mips/generic");
        assertTrue(arch.startsWith("metalforge:upload would refuse it: \n  architecture: Select a valid choice. "
                + "mips/generic is not one of the available choices: amd64/generic, arm64/generic, "), arch);
        String zip = inspect.inspect(golden.toString(), "golden", "amd64/generic", "zip");
        assertTrue(zip.contains("filetype: Select a valid choice. zip is not one of the available choices. Valid "
                + "choices: tgz (root-tgz), "), zip);

        // calls with too few or too many arguments, typed at a real Gogo shell: usage, not a coercion error
        ThreadIOImpl io = new ThreadIOImpl();
        io.start();
        try {
            CommandProcessorImpl shell = new CommandProcessorImpl(io);
            shell.addCommand("metalforge", inspect, "inspect");
            shell.addCommand("metalforge", upload, "upload");
            shell.addCommand("metalforge", upload, "resume");
            assertEquals(InspectCommand.USAGE.text(), gogo(shell, "metalforge:inspect"));
            assertEquals("metalforge:inspect needs <name>.\n" + InspectCommand.USAGE.text(),
                    gogo(shell, "metalforge:inspect " + golden));
            assertEquals(UploadCommand.UPLOAD.text(), gogo(shell, "metalforge:upload"));
            assertEquals("metalforge:upload takes at most 5 arguments, not 6.\n" + UploadCommand.UPLOAD.text(),
                    gogo(shell, "metalforge:upload a b c d e f"));
            assertEquals("metalforge:resume needs <file>.\n" + UploadCommand.RESUME.text(),
                    gogo(shell, "metalforge:resume 7"));
            assertTrue(gogo(shell, "metalforge:resume x " + golden).startsWith("Not a boot resource id: x\n"
                    + "Usage: metalforge:resume <resource id> <file>"));
            // the working forms are still the ones called
            assertTrue(gogo(shell, "metalforge:inspect " + golden + " golden").contains("Verdict:"));
        } finally {
            io.stop();
        }
    }

    private static String gogo(CommandProcessorImpl shell, String line) throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true);
        try (CommandSession session = shell.createSession(new java.io.ByteArrayInputStream(new byte[0]), out, out)) {
            return String.valueOf(session.execute(line));
        }
    }

    @Test
    void progressBarRendering() {
        UploadCommand.ProgressBar bar = new UploadCommand.ProgressBar(null, 4L << 30, 0);
        assertEquals("[##########..............................]   25%  1.0 GiB of 4.0 GiB  512.0 MiB/s",
                bar.render(1L << 30, 2.0));
    }

    /** A console that presses Ctrl-C (interrupts the command's thread) the first time it sees {@code trigger}. */
    private static PrintStream pressingCtrlCOn(String trigger, ByteArrayOutputStream captured) {
        return new PrintStream(new java.io.OutputStream() {
            private boolean pressed;

            @Override
            public void write(int b) {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                if (!pressed && captured.toString().contains(trigger)) {
                    pressed = true;
                    Thread.currentThread().interrupt();
                }
            }
        }, true);
    }

    @Test
    void ctrlCPausesAnUploadBetweenChunksAndResumeFinishesIt() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        Path file = dir.resolve("big.tgz");
        Files.write(file, Images.ubuntuTgz(true, 3 * UploadCommand.CHUNK, 22));
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        // the key lands once the first chunk's bar is drawn
        UploadCommand upload = new UploadCommand(p.uploads, new TerminalConsole(pressingCtrlCOn("[#", bar)));
        PrintStream console = System.out;
        String paused;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
            paused = upload.upload(file.toString(), "big", "amd64/generic", "tgz", "ubuntu/noble");
        } finally {
            System.setOut(console);
            Thread.interrupted();
        }
        long id = p.catalog.resources(java.util.Optional.of(io.metalforge.api.catalog.ResourceType.UPLOADED)).get(0)
                .id();
        assertTrue(paused.startsWith("Upload paused at 4.0 MiB of "), paused);
        assertTrue(paused.endsWith("Continue with: metalforge:resume " + id + " " + file), paused);
        String half = new ImagesCommand(p.catalog).show(id);
        assertTrue(half.contains("incomplete"), half);

        UploadCommand again = new UploadCommand(p.uploads,
                new TerminalConsole(new PrintStream(new ByteArrayOutputStream(), true)));
        String done;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
            done = again.resume(Long.toString(id), file.toString());
        } finally {
            System.setOut(console);
        }
        assertTrue(done.contains("complete"), done);
    }

    @Test
    void ctrlCWhileHashingUploadsNothing() throws Exception {
        Platform p = new Platform(dir);
        p.syncUbuntu();
        Path file = dir.resolve("big.tgz");
        Files.write(file, Images.ubuntuTgz(true, 3 * UploadCommand.CHUNK, 23));
        UploadCommand upload = new UploadCommand(p.uploads,
                new TerminalConsole(new PrintStream(new ByteArrayOutputStream(), true)));
        PrintStream console = System.out;
        String cancelled;
        try {
            System.setOut(pressingCtrlCOn("Hashing", new ByteArrayOutputStream()));
            cancelled = upload.upload(file.toString(), "big", "amd64/generic", "tgz", "ubuntu/noble");
        } finally {
            System.setOut(console);
            Thread.interrupted();
        }
        assertEquals("Upload cancelled while hashing (Ctrl-C); nothing was uploaded.", cancelled);
        assertTrue(p.catalog.resources(java.util.Optional.of(io.metalforge.api.catalog.ResourceType.UPLOADED))
                .isEmpty());
    }
}
