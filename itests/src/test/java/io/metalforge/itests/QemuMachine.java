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
 *
 * <p>A UEFI machine's reboot is a power cycle: qemu runs with {@code -no-reboot}, so the guest's reset ends the process,
 * and the machine comes up again as a new qemu process on the same disk and variable store (a cold boot). A warm reset
 * inside one qemu process keeps qemu's user-mode network stack, and with it the first boot's TCP connections, which
 * are still half-closed there (GRUB never closes the connection of {@code grub/grub.cfg}, which holds the
 * {@code configfile} that boots, and the server's FINs on the kernel's and initrd's connections arrive after GRUB has
 * handed over to Linux); qemu keeps retransmitting them for minutes. GRUB 2.06 numbers its TCP source ports from a
 * fixed 21550 and its initial sequence numbers from the milliseconds since it started, so the second boot's GRUB
 * opens the very same connections again, qemu answers them with the old ones' resets, and GRUB's transfers break
 * ("premature end of file", "out of memory"). The iPXE and PXELINUX machines keep the warm reboot, which their own TCP
 * stacks pass. (On MAAS's network GRUB reads its configs over TFTP, so the local boot opens no TCP connection.)
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

    /** The kernel's last line before it resets the machine ({@code reboot -f}); a power off prints another. */
    private static final Pattern RESTART = Pattern.compile("reboot: Restarting system");

    private final String mac;
    private final Firmware firmware;
    private final Path disk;
    private final Path tftp;
    private final int bootPort;
    private final List<Line> serial = new CopyOnWriteArrayList<>();
    private Process process;
    /** A qemu process runs, or is being started again after the guest's reset (UEFI). */
    private boolean on;
    /** The test or the BMC pulled the plug: the process's end is no reset. */
    private boolean pulled;
    /** The serial line where the running qemu process's output starts. */
    private int launchedAt;
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
        if (on) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(0);
            f.setLength(diskBytes);
        }
        if (firmware == Firmware.UEFI) {
            // a fresh variable store per power on from the BMC: the firmware's boot order stays the one bootindex gives
            Files.copy(OVMF_VARS, efiVars(), StandardCopyOption.REPLACE_EXISTING);
        }
        serial.clear();
        started = System.nanoTime();
        pulled = false;
        launch();
    }

    /** Starts qemu on the machine's disk; the serial console goes on from the first power on. */
    private void launch() throws IOException {
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
            command.addAll(List.of("-no-reboot", "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                    "-drive", "if=pflash,format=raw,file=" + efiVars()));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        process = p;
        launchedAt = serial.size();
        on = true;
        Thread reader = new Thread(() -> {
            read(p.getInputStream());
            ended(p);
        }, "qemu-serial-" + mac);
        reader.setDaemon(true);
        reader.start();
    }

    /** qemu ended: a UEFI guest's reset powers it on again (the class comment says why); else the machine is off. */
    private void ended(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (p != process || !on) {
                return;
            }
            if (firmware == Firmware.UEFI && !pulled && resetSince(launchedAt)) {
                try {
                    serial.add(new Line(secondsSincePowerOn(), "[the guest reset the machine: qemu starts again]"));
                    launch();
                    return;
                } catch (IOException e) {
                    serial.add(new Line(secondsSincePowerOn(), "[qemu did not start again: " + e.getMessage() + "]"));
                }
            }
            on = false;
            notifyAll();
        }
    }

    private boolean resetSince(int line) {
        for (int i = line; i < serial.size(); i++) {
            if (RESTART.matcher(serial.get(i).text()).find()) {
                return true;
            }
        }
        return false;
    }

    private Path efiVars() {
        return disk.resolveSibling(disk.getFileName() + ".efivars");
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
        return on;
    }

    /** Pulls the plug (the webhook's power off, and the test's clean-up). */
    synchronized void powerOff() throws InterruptedException {
        pulled = true;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        on = false;
        notifyAll();
    }

    /** Waits until the guest powered itself off (qemu exits, and no reset starts it again); false after {@code seconds}. */
    synchronized boolean awaitOff(int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (long left = end - System.nanoTime(); on && left > 0; left = end - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return !on;
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
