package io.metalforge.inspect.internal;

import static io.metalforge.inspect.internal.TestImages.ESP;
import static io.metalforge.inspect.internal.TestImages.LINUX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metalforge.api.inspect.DiskLayout;
import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.ImageHead;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.InspectionSession;
import io.metalforge.api.inspect.Severity;
import io.metalforge.api.os.TestOsHandlerRegistry;
import io.metalforge.example.os.rocky.internal.RockyOsHandler;
import io.metalforge.os.centos.internal.CentosOsHandler;
import io.metalforge.os.custom.internal.CustomOsHandler;
import io.metalforge.os.rhel.internal.RhelOsHandler;
import io.metalforge.os.ubuntu.internal.UbuntuOsHandler;
import io.metalforge.os.windows.internal.WindowsOsHandler;
import io.metalforge.inspect.internal.TestImages.Part;
import io.metalforge.inspect.internal.TestImages.Tree;

class ImageDoctorTest {

    /** The real OS handlers of the distribution, and the vendor example's. */
    static final TestOsHandlerRegistry OSES = new TestOsHandlerRegistry(new UbuntuOsHandler(), new CentosOsHandler(),
            new RhelOsHandler(), new CustomOsHandler(), new WindowsOsHandler(), new RockyOsHandler());

    private final ImageDoctorImpl doctor = new ImageDoctorImpl(Limits.DEFAULTS, OSES);

    @TempDir
    Path dir;

    private ImageReport inspect(byte[] image, String filetype, String arch, String base) throws IOException {
        return doctor.inspect(new ByteArrayInputStream(image), new ImageExpectation(filetype, arch, base));
    }

    private static void assertReason(ImageReport report, Severity severity, String text) {
        assertTrue(report.findings().stream().anyMatch(f -> f.severity() == severity && f.message().contains(text)),
                () -> "expected " + severity + " \"" + text + "\" in " + report.findings());
    }

    // ---- root tarballs

    @Test
    void completeUbuntuTarballIsDeployable() throws Exception {
        ImageReport report = inspect(TestImages.gzip(TestImages.tar(TestImages.ubuntu())), "root-tgz",
                "amd64/generic", "ubuntu/noble");
        assertEquals("gzip-compressed tar archive", report.format());
        assertEquals(Severity.INFO, report.verdict(), report.findings()::toString);
        var root = report.rootFilesystem();
        assertEquals("ubuntu", root.osId());
        assertEquals("24.04", root.osVersionId());
        assertEquals(List.of("/boot/vmlinuz-6.8.0-31-generic"), root.kernels());
        assertTrue(root.cloudInit());
        assertTrue(root.netplan());
        assertEquals(Map.of("amd64", 5), root.architectures());
        assertTrue(root.entries() > 15);
    }

    @Test
    void ubuntuBaseWithoutNetplanWouldAbort() throws Exception {
        ImageReport report = inspect(TestImages.xz(TestImages.tar(TestImages.ubuntu().without("netplan"))), "root-txz",
                "amd64/generic", "ubuntu/noble");
        assertEquals(Severity.UNDEPLOYABLE, report.verdict());
        assertEquals(List.of(("custom image with an ubuntu base lacks netplan: deployment would abort "
                + "(looked for /usr/sbin/netplan, "
                + "/usr/bin/netplan, /sbin/netplan, /bin/netplan, /usr/share/netplan/netplan.script, "
                + "/usr/lib/netplan/generate)")),
                report.reasons(Severity.UNDEPLOYABLE));
    }

    @Test
    void centosBaseWithoutCloudInitWouldAbort() throws Exception {
        Tree tree = TestImages.rhel().without("cloud-init");
        tree.osId = "centos";
        tree.curtinHooks = true;
        ImageReport report = inspect(TestImages.bzip2(TestImages.tar(tree)), "root-tbz", "amd64/generic", "centos/9");
        assertEquals("bzip2-compressed tar archive", report.format());
        assertEquals(List.of(("custom image with a centos base lacks cloud-init: deployment would abort "
                + "(looked for /usr/bin/cloud-init, "
                + "/bin/cloud-init, /usr/local/bin/cloud-init)")),
                report.reasons(Severity.UNDEPLOYABLE));
        assertEquals(List.of("/curtin/curtin-hooks"), report.rootFilesystem().curtinHooks());
    }

    @Test
    void arm64BinariesDeclaredAmd64() throws Exception {
        Tree tree = TestImages.ubuntu();
        tree.machine = TestImages.EM_AARCH64;
        ImageReport report = inspect(TestImages.gzip(TestImages.tar(tree)), "root-tgz", "amd64/generic",
                "ubuntu/noble");
        assertEquals(List.of("declared amd64 but binaries are arm64"), report.reasons(Severity.UNDEPLOYABLE));
        assertEquals(Map.of("arm64", 5), report.rootFilesystem().architectures());
    }

    @Test
    void rhelWithoutCurtinHooksOrKernel() throws Exception {
        ImageReport report = inspect(TestImages.gzip(TestImages.tar(TestImages.rhel().without("kernel"))), "root-tgz",
                "amd64/generic", "rhel/9");
        assertEquals(Severity.UNDEPLOYABLE, report.verdict());
        assertReason(report, Severity.UNDEPLOYABLE, "no kernel in /boot or /lib/modules");
        assertReason(report, Severity.WARNING, "no /curtin/curtin-hooks");
        assertTrue(report.rootFilesystem().curtinHooks().isEmpty());
        assertFalse(report.rootFilesystem().netplan());
    }

    @Test
    void osReleaseDisagreeingWithTheBaseImage() throws Exception {
        Tree tree = TestImages.ubuntu();
        tree.versionId = "22.04";
        ImageReport report = inspect(TestImages.gzip(TestImages.tar(tree)), "root-tgz", "amd64/generic",
                "ubuntu/noble");
        assertEquals(Severity.WARNING, report.verdict());
        assertReason(report, Severity.WARNING, "base image ubuntu/noble (24.04) but os-release says ubuntu 22.04");
    }

    @Test
    void aVendorBaseIsCheckedByWhatItsHandlerSays() throws Exception {
        // the Rocky example handler: a Linux base whose images need cloud-init and curtin hooks and say ID=rocky
        Tree tree = TestImages.rhel().without("cloud-init");
        tree.osId = "rocky";
        ImageReport report = inspect(TestImages.gzip(TestImages.tar(tree)), "root-tgz", "amd64/generic",
                "rocky/rocky9");
        assertEquals(List.of("custom image with a rocky base lacks cloud-init: deployment would abort (looked for "
                + "/usr/bin/cloud-init, /bin/cloud-init, /usr/local/bin/cloud-init)"), report.reasons(Severity.UNDEPLOYABLE));
        assertReason(report, Severity.WARNING, "no /curtin/curtin-hooks: curtin installs no bootloader and applies "
                + "no network configuration for a rocky image without them");

        Tree rhel = TestImages.rhel();
        rhel.curtinHooks = true;
        ImageReport other = inspect(TestImages.gzip(TestImages.tar(rhel)), "root-tgz", "amd64/generic", "rocky/rocky9");
        assertReason(other, Severity.WARNING, "base image rocky/rocky9 but os-release says rhel");
    }

    @Test
    void aBaseWhoseHandlerIsNotInstalledIsNotCheckedAndSaysSo() throws Exception {
        ImageReport report = inspect(TestImages.gzip(TestImages.tar(TestImages.ubuntu().without("netplan"))),
                "root-tgz", "amd64/generic", "gentoo/2024");
        assertEquals(Severity.WARNING, report.verdict());
        assertReason(report, Severity.WARNING, "OS handler 'gentoo' is not installed; installed: centos, custom, "
                + "rhel, rocky, ubuntu, windows: the checks of a custom image on that base were not applied");
    }

    // ---- declared filetype versus content

    @Test
    void declaredFiletypeMustMatchTheContent() throws Exception {
        byte[] txz = TestImages.xz(TestImages.tar(TestImages.ubuntu()));
        Optional<String> mismatch = doctor.checkDeclaredFormat("root-tgz", txz, txz.length);
        assertEquals(Optional.of("Declared filetype root-tgz (gzip-compressed tar archive) does not match the content: "
                + "xz-compressed tar archive."), mismatch);
        assertEquals(Optional.empty(), doctor.checkDeclaredFormat("root-txz", txz, txz.length));

        byte[] tgz = TestImages.gzip(TestImages.tar(TestImages.ubuntu()));
        String raw = doctor.checkDeclaredFormat("root-dd.raw", tgz, tgz.length).orElseThrow();
        assertTrue(raw.contains("root-dd.raw (raw disk image)") && raw.contains("gzip-compressed tar archive"), raw);

        byte[] gzDisk = TestImages.gzip(TestImages.gptDisk(4096, List.of(new Part(LINUX, 2048, 4000, "ext4"))));
        String ddtgz = doctor.checkDeclaredFormat("root-dd", gzDisk, gzDisk.length).orElseThrow();
        assertTrue(ddtgz.contains("gzip-compressed raw disk image (GPT)"), ddtgz);
        assertEquals(Optional.empty(), doctor.checkDeclaredFormat("root-dd.gz", gzDisk, gzDisk.length));

        byte[] zstd = { 0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x24, 0x00, 0x01, 0x00, 0x00 };
        assertTrue(doctor.checkDeclaredFormat("root-tgz", zstd, zstd.length).orElseThrow()
                .endsWith("zstd-compressed data."));

        ImageReport report = inspect(txz, "root-tgz", "amd64/generic", "ubuntu/noble");
        assertEquals(Severity.REJECTED, report.verdict());
        assertEquals(List.of(mismatch.get()), report.reasons(Severity.REJECTED));
    }

    /**
     * The check on a stream: the same answers as on an array, reading no more than it needs (the first 72 KiB of an
     * uncompressed disk image, of a 32 MiB one), keeping what it read in pieces of 64 KiB, and giving the content
     * back whole. No array of half a G1 region (512 KiB at -Xmx256m) or more is allocated on the way: the thread
     * allocates less than one such array in all.
     */
    @Test
    void declaredFiletypeIsCheckedOnAStreamAsFarAsNeeded() throws Exception {
        byte[] txz = TestImages.xz(TestImages.tar(TestImages.ubuntu()));
        ImageHead xzHead = new ImageHead(new ByteArrayInputStream(txz));
        assertEquals(doctor.checkDeclaredFormat("root-tgz", txz, txz.length),
                doctor.checkDeclaredFormat("root-tgz", xzHead.stream()));
        assertArrayEquals(txz, xzHead.replay().readAllBytes());
        byte[] gzDisk = TestImages.gzip(TestImages.gptDisk(4096, List.of(new Part(LINUX, 2048, 4000, "ext4"))));
        assertEquals(Optional.empty(),
                doctor.checkDeclaredFormat("root-dd.gz", new ImageHead(new ByteArrayInputStream(gzDisk)).stream()));
        assertEquals("gzip-compressed raw disk image (GPT)",
                doctor.describeFormat(new ImageHead(new ByteArrayInputStream(gzDisk)).stream()));

        byte[] disk = new byte[32 << 20];
        new java.util.Random(3).nextBytes(disk);
        byte[] gpt = TestImages.gptDisk(8192, List.of(new Part(ESP, 2048, 4095, "vfat")));
        System.arraycopy(gpt, 0, disk, 0, gpt.length);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        ImageHead head = new ImageHead(new ByteArrayInputStream(disk));
        long before = threads.getCurrentThreadAllocatedBytes();
        Optional<String> raw = doctor.checkDeclaredFormat("root-dd.raw", head.stream());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(Optional.empty(), raw);
        assertEquals(Filesystems.PROBE_BYTES, head.length(), "read as far as the check needs");
        assertTrue(allocated < 512 << 10, "the check allocated " + allocated + " bytes");
        assertArrayEquals(disk, head.replay().readAllBytes());
        String tgzAsDisk = doctor.checkDeclaredFormat("root-dd.raw",
                new ImageHead(new ByteArrayInputStream(TestImages.gzip(TestImages.tar(TestImages.ubuntu())))).stream())
                .orElseThrow();
        assertTrue(tgzAsDisk.contains("gzip-compressed tar archive"), tgzAsDisk);
    }

    @Test
    void aHeadCutInsideACompressedStreamStillTellsTheFormat() throws Exception {
        byte[] tgz = TestImages.gzip(TestImages.tar(TestImages.ubuntu()));
        assertEquals("gzip-compressed tar archive", doctor.describeFormat(tgz, 600));
        assertEquals(Optional.empty(), doctor.checkDeclaredFormat("root-tgz", tgz, 600));
    }

    // ---- disk images

    @Test
    void gptDiskWithEfiSystemPartitionAndExt4() throws Exception {
        byte[] disk = TestImages.gptDisk(16384,
                List.of(new Part(ESP, 2048, 4095, "vfat"), new Part(LINUX, 4096, 16000, "ext4")));
        for (var variant : List.of(new Object[] { disk, "root-dd.raw", "raw disk image (GPT)" },
                new Object[] { TestImages.gzip(disk), "root-dd.gz", "gzip-compressed raw disk image (GPT)" },
                new Object[] { TestImages.xz(disk), "root-dd.xz", "xz-compressed raw disk image (GPT)" },
                new Object[] { TestImages.bzip2(disk), "root-dd.bz2", "bzip2-compressed raw disk image (GPT)" })) {
            ImageReport report = inspect((byte[]) variant[0], (String) variant[1], "amd64/generic", "ubuntu/noble");
            assertEquals(variant[2], report.format());
            assertEquals(Severity.INFO, report.verdict(), report.findings()::toString);
            DiskLayout layout = report.disk();
            assertEquals("gpt", layout.partitionTable());
            assertTrue(layout.efiSystemPartition());
            assertEquals(2, layout.partitions().size());
            assertEquals("EFI System \"EFI\"", layout.partitions().get(0).type());
            assertEquals("vfat", layout.partitions().get(0).filesystem());
            assertEquals(2048L * 512, layout.partitions().get(0).startBytes());
            assertEquals("Linux filesystem \"root\"", layout.partitions().get(1).type());
            assertEquals("ext4", layout.partitions().get(1).filesystem());
        }
    }

    @Test
    void mbrDiskWithoutEfiSystemPartition() throws Exception {
        byte[] disk = TestImages.mbrDisk(8192, List.of(new Part("", 2048, 4095, "xfs"), new Part("", 4096, 8000,
                "btrfs")), List.of(0x83, 0x83));
        ImageReport report = inspect(disk, "root-dd.raw", "amd64/generic", "rhel/9");
        assertEquals("mbr", report.disk().partitionTable());
        assertEquals(List.of("xfs", "btrfs"), report.disk().partitions().stream().map(p -> p.filesystem()).toList());
        assertEquals("0x83 Linux", report.disk().partitions().get(0).type());
        assertEquals(Severity.WARNING, report.verdict());
        assertReason(report, Severity.WARNING, "no EFI system partition");
    }

    @Test
    void diskImageInsideATarball() throws Exception {
        byte[] disk = TestImages.gptDisk(8192, List.of(new Part(ESP, 2048, 4095, "vfat"),
                new Part(LINUX, 4096, 8000, "ext4")));
        byte[] ddtgz = TestImages.gzip(TestImages.tarOf("./image.img", disk));
        ImageReport report = inspect(ddtgz, "root-dd", "amd64/generic", "ubuntu/noble");
        assertEquals(Severity.INFO, report.verdict(), report.findings()::toString);
        assertEquals("gpt", report.disk().partitionTable());
        assertReason(report, Severity.INFO, "disk image /image.img in the archive");
    }

    @Test
    void dataThatIsNoDiskImage() throws Exception {
        byte[] junk = new byte[200_000];
        new java.util.Random(1).nextBytes(junk);
        ImageReport report = inspect(junk, "root-dd.raw", "amd64/generic", "ubuntu/noble");
        assertEquals(Severity.REJECTED, report.verdict());
        assertReason(report, Severity.REJECTED, "does not match the content: data of unknown type");
    }

    /** A disk image made by the real tools: sfdisk for the GPT, mkfs.vfat and mkfs.ext4 for the filesystems. */
    @Test
    void diskImageMadeByRealTools() throws Exception {
        Path image = TestImages.sparseFile(dir, "disk.img", 96L << 20);
        Path script = dir.resolve("layout.sfdisk");
        java.nio.file.Files.writeString(script,
                "label: gpt\nstart=2048, size=65536, type=" + ESP + ", name=ESP\nstart=67584, type=" + LINUX + "\n");
        TestImages.run("fdisk", "sh", "-c", "sfdisk --quiet " + image + " < " + script);
        TestImages.run("dosfstools", "mkfs.vfat", "-F", "32", "--offset", "2048", image.toString(), "32768");
        TestImages.run("e2fsprogs", "mkfs.ext4", "-q", "-F", "-E", "offset=" + 67584L * 512, image.toString(), "60M");
        ImageReport report = doctor.inspect(java.nio.file.Files.newInputStream(image),
                new ImageExpectation("root-dd.raw", "amd64/generic", "ubuntu/noble"));
        assertEquals(Severity.INFO, report.verdict(), report.findings()::toString);
        assertEquals(List.of("vfat", "ext4"), report.disk().partitions().stream().map(p -> p.filesystem()).toList());
        assertTrue(report.disk().efiSystemPartition());
        // it stopped after the last superblock instead of reading the whole 96 MiB
        assertTrue(report.bytesRead() < (40L << 20), () -> "read " + report.bytesRead());
    }

    // ---- hostile input

    @Test
    void decompressionBombIsStopped() throws Exception {
        ImageDoctorImpl strict = new ImageDoctorImpl(new Limits(1000, 1 << 16, 4096, 64, 8L << 20, 2000, 1 << 16),
                OSES);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            TestImages.file(out, "./zeros", new byte[32 << 20]);
        }
        byte[] bomb = TestImages.gzip(tar.toByteArray());
        assertTrue(bomb.length < 100_000);
        ImageReport report = strict.inspect(new ByteArrayInputStream(bomb),
                new ImageExpectation("root-tgz", "amd64/generic", "ubuntu/noble"));
        assertEquals(Severity.REJECTED, report.verdict());
        assertReason(report, Severity.REJECTED, "decompressed content exceeds the limit of 8388608 bytes");
    }

    @Test
    void hugeExtendedHeaderIsRefusedBeforeItIsRead() throws Exception {
        // a PAX header that claims 1 GiB: refused from its size field, nothing allocated
        byte[] header = new byte[512];
        System.arraycopy("./PaxHeaders/x".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 14);
        octal(header, 100, 8, 0644);
        octal(header, 124, 12, 1L << 30);
        header[156] = 'x';
        System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
        checksum(header);
        byte[] tar = new byte[512 * 4];
        System.arraycopy(header, 0, tar, 0, 512);
        ImageReport report = inspect(TestImages.gzip(tar), "root-tgz", "amd64/generic", "ubuntu/noble");
        assertReason(report, Severity.REJECTED, "tar extended header of 1073741824 bytes exceeds the limit");

        // and a real long PAX path over a small limit
        ImageDoctorImpl strict = new ImageDoctorImpl(new Limits(1000, 4096, 100_000, 64, 1L << 30, 2000, 1 << 16),
                OSES);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TestImages.file(out, "./" + "n".repeat(10_000), new byte[1]);
        }
        ImageReport longName = strict.inspect(new ByteArrayInputStream(bytes.toByteArray()),
                new ImageExpectation("root-dd.tar", "", ""));
        assertReason(longName, Severity.REJECTED, "exceeds the limit of 4096 bytes");
    }

    @Test
    void veryManyEntriesAreStopped() throws Exception {
        ImageDoctorImpl strict = new ImageDoctorImpl(new Limits(1000, 1 << 16, 4096, 64, 1L << 30, 2000, 1 << 16),
                OSES);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            for (int i = 0; i < 1500; i++) {
                TestImages.file(out, "./f" + i, new byte[0]);
            }
        }
        ImageReport report = strict.inspect(new ByteArrayInputStream(TestImages.gzip(tar.toByteArray())),
                new ImageExpectation("root-tgz", "amd64/generic", "ubuntu/noble"));
        assertReason(report, Severity.REJECTED, "more than 1000 tar entries");
    }

    @Test
    void deepPathsAreStopped() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            TestImages.file(out, "./" + "d/".repeat(300) + "f", new byte[1]);
        }
        ImageReport report = inspect(TestImages.gzip(tar.toByteArray()), "root-tgz", "amd64/generic", "ubuntu/noble");
        assertReason(report, Severity.REJECTED, "levels deep exceeds the limit of 256");
    }

    @Test
    void truncatedArchiveIsReported() throws Exception {
        byte[] tgz = TestImages.gzip(TestImages.tar(TestImages.ubuntu()));
        byte[] cut = java.util.Arrays.copyOf(tgz, tgz.length / 2);
        ImageReport report = inspect(cut, "root-tgz", "amd64/generic", "ubuntu/noble");
        assertEquals(Severity.REJECTED, report.verdict());
        assertReason(report, Severity.REJECTED, "corrupt or truncated gzip-compressed");
    }

    // ---- fed while the bytes are stored

    @Test
    void sessionFedInChunksGivesTheSameReport() throws Exception {
        byte[] tgz = TestImages.gzip(TestImages.tar(TestImages.ubuntu().without("netplan")));
        ImageExpectation expected = new ImageExpectation("root-tgz", "amd64/generic", "ubuntu/noble");
        ImageReport direct = doctor.inspect(new ByteArrayInputStream(tgz), expected);
        ImageReport fed;
        try (InspectionSession session = doctor.open(expected)) {
            for (int at = 0; at < tgz.length; at += 777) {
                session.feed(tgz, at, Math.min(777, tgz.length - at));
            }
            fed = session.finish();
        }
        assertEquals(direct.findings(), fed.findings());
        assertEquals(direct.rootFilesystem(), fed.rootFilesystem());
        assertEquals(tgz.length, fed.bytesRead());
    }

    @Test
    void feedingAnUploadAllocatesNoCopyPerChunk() throws Exception {
        // 24 MiB of incompressible data inside an Ubuntu root tarball: the doctor reads every byte of it
        byte[] bulk = new byte[24 << 20];
        new java.util.Random(7).nextBytes(bulk);
        byte[] tgz = TestImages.gzip(TestImages.tar(TestImages.ubuntu(),
                tar -> TestImages.file(tar, "./var/lib/bulk.bin", bulk)));
        ImageExpectation expected = new ImageExpectation("root-tgz", "amd64/generic", "ubuntu/noble");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        ImageReport fed;
        long allocated;
        try (InspectionSession session = doctor.open(expected)) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int at = 0; at < tgz.length; at += 4 << 20) { // the 4 MiB chunks of the maas CLI
                session.feed(tgz, at, Math.min(4 << 20, tgz.length - at));
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
            fed = session.finish();
        }
        assertEquals(tgz.length, fed.bytesRead());
        // the pipe's fixed set of recycled buffers, not a copy of the 24 MiB fed
        assertTrue(allocated < (PipeSession.DEPTH + 2) * PipeSession.CHUNK + (512 << 10),
                "the upload thread allocated " + allocated + " bytes to feed " + tgz.length);
    }

    @Test
    void sessionNeverBlocksTheUploadOnceTheDoctorIsDone() throws Exception {
        byte[] disk = TestImages.gptDisk(8192, List.of(new Part(ESP, 2048, 4095, "vfat")));
        byte[] chunk = new byte[1 << 20];
        try (InspectionSession session = doctor.open(new ImageExpectation("root-dd.raw", "amd64/generic", ""))) {
            session.feed(disk, 0, disk.length);
            // 64 MiB more than the doctor wants: must not block although nobody reads it
            for (int i = 0; i < 64; i++) {
                session.feed(chunk, 0, chunk.length);
            }
            ImageReport report = session.finish();
            assertNotNull(report.disk());
            assertTrue(report.disk().efiSystemPartition());
        }
    }

    @Test
    void abandonedSessionEndsTheDoctorThread() throws Exception {
        InspectionSession session = doctor.open(new ImageExpectation("root-tgz", "amd64/generic", ""));
        byte[] tgz = TestImages.gzip(TestImages.tar(TestImages.ubuntu()));
        session.feed(tgz, 0, 100);
        session.close();
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("metalforge-doctor") && t.isAlive())) {
            Thread.sleep(20);
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("metalforge-doctor") && t.isAlive()));
    }

    @Test
    void aStalledUploadReleasesTheDoctorThread() throws Exception {
        PipeSession session = new PipeSession(doctor, new ImageExpectation("root-tgz", "amd64/generic", ""), 200,
                ImageDoctorImpl.threadPerSession());
        byte[] tgz = TestImages.gzip(TestImages.tar(TestImages.ubuntu()));
        session.feed(tgz, 0, 100);
        long deadline = System.currentTimeMillis() + 5000;
        while (session.reportIfDone().isEmpty() && System.currentTimeMillis() < deadline
                && !session.abandoned()) {
            Thread.sleep(20);
        }
        assertTrue(session.abandoned());
        // bytes that still come are dropped at once, and finishing says the inspection was abandoned
        session.feed(tgz, 100, tgz.length - 100);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, session::finish);
    }

    private static void octal(byte[] b, int off, int len, long value) {
        String s = String.format("%0" + (len - 1) + "o", value);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, b, off, len - 1);
    }

    private static void checksum(byte[] h) {
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xFF;
        }
        String s = String.format("%06o", sum);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
    }



    // ---- hostile members

    @Test
    void membersThatEscapeTheRootOrMakeDevicesAreRejectedByName() throws Exception {
        byte[] hostile = TestImages.tar(TestImages.ubuntu(), tar -> {
            TestImages.file(tar, "../../../../tmp/x", "x".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry absolute = new TarArchiveEntry("/etc/cron.d/x", true);
            absolute.setSize(1);
            tar.putArchiveEntry(absolute);
            tar.write('x');
            tar.closeArchiveEntry();
            TestImages.symlink(tar, "./escape", "../../../../../root");
            TestImages.symlink(tar, "./etc/evil", "/etc");
            TestImages.file(tar, "./etc/evil/cron.d/y", "y".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry hard = new TarArchiveEntry("./etc/shadow-copy", TarArchiveEntry.LF_LINK);
            hard.setLinkName("../../../etc/shadow");
            tar.putArchiveEntry(hard);
            tar.closeArchiveEntry();
            TarArchiveEntry device = new TarArchiveEntry("./dev/sda", TarArchiveEntry.LF_BLK);
            device.setDevMajor(8);
            tar.putArchiveEntry(device);
            tar.closeArchiveEntry();
        });
        ImageReport report = inspect(TestImages.gzip(hostile), "root-tgz", "amd64/generic", "ubuntu/noble");
        assertEquals(Severity.REJECTED, report.verdict(), report.findings()::toString);
        String reason = report.reasons(Severity.REJECTED).get(0);
        assertTrue(reason.startsWith("rejected as hostile: 6 tar members would be written outside the image root"),
                reason);
        for (String expected : List.of("../../../../tmp/x (\"..\" in the path)", "/etc/cron.d/x (absolute path)",
                "./escape (symbolic link to ../../../../../root, outside the image root)",
                "./etc/evil/cron.d/y (written through an earlier symbolic link)",
                "./etc/shadow-copy (hard link to ../../../etc/shadow, outside the image root)",
                "./dev/sda (block device node)")) {
            assertTrue(reason.contains(expected), expected + " in " + reason);
        }
        // the absolute symlink itself is normal in a root tree (chroot semantics); writing through it is not
        assertFalse(reason.contains("./etc/evil ("), reason);

        // the normal tree, with its usrmerge and relative symlinks, passes
        assertEquals(Severity.INFO, inspect(TestImages.gzip(TestImages.tar(TestImages.ubuntu())), "root-tgz",
                "amd64/generic", "ubuntu/noble").verdict());
    }

    @Test
    void theListOfHostileMembersIsBounded() throws Exception {
        byte[] many = TestImages.tar(TestImages.ubuntu(), tar -> {
            for (int i = 0; i < 500; i++) {
                TarArchiveEntry device = new TarArchiveEntry("./dev/tty" + i, TarArchiveEntry.LF_CHR);
                tar.putArchiveEntry(device);
                tar.closeArchiveEntry();
            }
        });
        String reason = inspect(TestImages.gzip(many), "root-tgz", "amd64/generic", "ubuntu/noble").reasons(Severity.REJECTED).get(0);
        assertTrue(reason.startsWith("rejected as hostile: 500 tar members"), reason);
        assertTrue(reason.endsWith("./dev/tty15 (character device node), and 484 more"), reason);
    }
}
