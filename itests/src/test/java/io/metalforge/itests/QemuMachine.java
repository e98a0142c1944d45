package io.metalforge.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One qemu VM of the real-boot test: TCG (this machine has no KVM), 512 MiB, a virtio NIC that netboots first and a
 * virtio disk, on qemu's user network with {@code restrict=on}, so its only way out is one {@code guestfwd} rule:
 * {@code 10.0.2.100:5248} runs {@code busybox nc 127.0.0.1 <boot port>} per connection, i.e. reaches Metalforge's
 * boot HTTP server on loopback and nothing else. The serial console is kept line by line with the time since power
 * on, for the stage timings.
 */
final class QemuMachine {

    /** How the firmware netboots. */
    enum Firmware {
        /** DHCP hands iPXE (qemu's ROM) the URL of Metalforge's ipxe.cfg. */
        IPXE,
        /** DHCP hands lpxelinux.0 over qemu's TFTP; its embedded path-prefix sends the rest to Metalforge's HTTP. */
        PXELINUX,
        /**
         * OVMF (UEFI) on a q35 machine: DHCP hands bootx64.efi, a GRUB network image, over qemu's TFTP; GRUB reads
         * Metalforge's grub/grub.cfg and the machine's grub.cfg-&lt;mac&gt; over HTTP.
         */
        UEFI
    }

    /** Debian's OVMF (package ovmf): the firmware, read-only, and the template of each VM's own variable store. */
    static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    /** A serial console line and when it came, in seconds since power on. */
    record Line(double seconds, String text) {
    }

    static final String ADVERTISED = "10.0.2.100:5248";

    private final String mac;
    private final Firmware firmware;
    private final Path disk;
    private final Path tftp;
    private final int bootPort;
    private final List<Line> serial = new CopyOnWriteArrayList<>();
    private Process process;
    private long started;

    QemuMachine(String mac, Firmware firmware, Path disk, Path tftp, int bootPort) {
        this.mac = mac;
        this.firmware = firmware;
        this.disk = disk;
        this.tftp = tftp;
        this.bootPort = bootPort;
    }

    /** Powers on with a blank disk of {@code diskBytes} (sparse), unless already on. */
    synchronized void powerOn(long diskBytes) throws IOException {
        if (isOn()) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(0);
            f.setLength(diskBytes);
        }
        String netdev = "user,id=n0,restrict=on,guestfwd=tcp:" + ADVERTISED + "-cmd:busybox nc 127.0.0.1 " + bootPort
                + switch (firmware) {
                    case IPXE -> ",bootfile=http://" + ADVERTISED + "/ipxe.cfg";
                    case PXELINUX -> ",tftp=" + tftp + ",bootfile=lpxelinux.0";
                    case UEFI -> ",tftp=" + tftp + ",bootfile=bootx64.efi";
                };
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-machine",
                firmware == Firmware.UEFI ? "q35,accel=tcg" : "pc,accel=tcg", "-m", "512", "-smp", "1", "-nographic",
                "-no-user-config", "-netdev", netdev, "-device",
                "virtio-net-pci,netdev=n0,mac=" + mac + ",bootindex=1", "-drive",
                "file=" + disk + ",format=raw,if=none,id=d0", "-device", "virtio-blk-pci,drive=d0,bootindex=2"));
        if (firmware == Firmware.UEFI) {
            // a fresh variable store per power on: the firmware's boot order stays the one bootindex gives
            Path vars = disk.resolveSibling(disk.getFileName() + ".efivars");
            Files.copy(OVMF_VARS, vars, StandardCopyOption.REPLACE_EXISTING);
            command.addAll(List.of("-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE, "-drive",
                    "if=pflash,format=raw,file=" + vars));
        }
        serial.clear();
        started = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Process p = process;
        Thread reader = new Thread(() -> read(p.getInputStream()), "qemu-serial-" + mac);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream in) {
        StringBuilder line = new StringBuilder();
        try (in) {
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    add(line);
                } else if (c != '\r') {
                    line.append((char) c);
                }
            }
        } catch (IOException e) {
            line.append("[serial: ").append(e.getMessage()).append(']');
        }
        add(line);
    }

    private void add(StringBuilder line) {
        // SeaBIOS and iPXE draw with ANSI escapes; keep the text
        String text = line.toString().replaceAll("\u001b\\[[0-9;?]*[A-Za-z]|\u001bc", "").strip();
        if (!text.isEmpty()) {
            serial.add(new Line((System.nanoTime() - started) / 1e9, text));
        }
        line.setLength(0);
    }

    synchronized boolean isOn() {
        return process != null && process.isAlive();
    }

    /** Pulls the plug (the webhook's power off, and the test's clean-up). */
    synchronized void powerOff() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until the guest powered itself off (qemu exits); false after {@code seconds}. */
    boolean awaitOff(int seconds) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        return p == null || p.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Seconds since power on of the first serial line matching, or -1. */
    double firstLine(Pattern pattern, double after) {
        for (Line l : serial) {
            if (l.seconds() > after && pattern.matcher(l.text()).find()) {
                return l.seconds();
            }
        }
        return -1;
    }

    double secondsSincePowerOn() {
        return (System.nanoTime() - started) / 1e9;
    }

    String console() {
        StringBuilder b = new StringBuilder();
        for (Line l : serial) {
            b.append(String.format("%7.2f %s%n", l.seconds(), l.text()));
        }
        return b.toString();
    }

    Path disk() {
        return disk;
    }
}
