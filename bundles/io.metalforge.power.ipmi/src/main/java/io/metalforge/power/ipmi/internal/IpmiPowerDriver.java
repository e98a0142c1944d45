package io.metalforge.power.ipmi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerFailure.Kind;
import io.metalforge.api.power.PowerField;
import io.metalforge.api.power.PowerField.Choice;
import io.metalforge.api.power.PowerField.FieldType;
import io.metalforge.api.power.PowerField.Scope;
import io.metalforge.api.power.PowerSettings;
import io.metalforge.api.power.PowerState;

/**
 * MAAS's IPMI power type (§7.3) through FreeIPMI: {@code ipmi-chassis-config --commit} for a one-time PXE boot,
 * {@code ipmipower --cycle --on-if-off}, {@code --off}/{@code --soft} and {@code --stat}, with MAAS's arguments
 * ({@code -W} workarounds first, driver type, host, cipher suite, privilege level). Unlike MAAS, user, password and
 * K_g go in a private 0600 file passed with {@code --config-file}, so they never appear in a process listing.
 */
@Component(property = PowerDriver.PROPERTY_NAME + "=" + IpmiPowerDriver.NAME, configurationPid = IpmiPowerDriver.PID)
@Designate(ocd = IpmiPowerDriver.Config.class)
public class IpmiPowerDriver implements PowerDriver {

    // Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
    @ObjectClassDefinition(name = "Metalforge IPMI power driver")
    @interface Config {
        @AttributeDefinition(description = "Folder holding ipmipower and ipmi-chassis-config; empty: the PATH.")
        String tool__dir() default "";

        @AttributeDefinition(description = "FreeIPMI session timeout in ms; 0: FreeIPMI's default (20000).")
        int session__timeout__ms() default 0;

        @AttributeDefinition(description = "Longest run of one FreeIPMI command, in seconds.")
        int command__timeout() default 60;
    }

    static final String NAME = "ipmi";
    /** The configuration PID operators write (deploy/io.metalforge.power.ipmi.cfg); see docs/POWER.md. */
    static final String PID = "io.metalforge.power.ipmi";
    private static final System.Logger LOG = System.getLogger(IpmiPowerDriver.class.getName());

    static final PowerDriverDescriptor DESCRIPTOR = new PowerDriverDescriptor(NAME, "IPMI", false, false, true,
            List.of(new PowerField("power_driver", "Power driver", true, FieldType.CHOICE,
                    List.of(new Choice("LAN", "LAN [IPMI 1.5]"), new Choice("LAN_2_0", "LAN_2_0 [IPMI 2.0]")),
                    "LAN_2_0", Scope.BMC, false),
                    new PowerField("power_boot_type", "Power boot type", false, FieldType.CHOICE,
                            List.of(new Choice("auto", "Automatic"), new Choice("legacy", "Legacy boot"),
                                    new Choice("efi", "EFI boot")),
                            "auto", Scope.NODE, false),
                    new PowerField("power_address", "IP address", false, FieldType.STRING, List.of(), "", Scope.BMC,
                            false),
                    new PowerField("power_user", "Power user", false, FieldType.STRING, List.of(), "", Scope.BMC,
                            false),
                    new PowerField("power_pass", "Power password", false, FieldType.PASSWORD, List.of(), "",
                            Scope.BMC, true),
                    new PowerField("k_g", "K_g BMC key", false, FieldType.PASSWORD, List.of(), "", Scope.BMC, true),
                    new PowerField("cipher_suite_id", "Cipher Suite ID", false, FieldType.CHOICE,
                            List.of(new Choice("17", "17 - HMAC-SHA256::HMAC_SHA256_128::AES-CBC-128"),
                                    new Choice("3", "3 - HMAC-SHA1::HMAC-SHA1-96::AES-CBC-128"),
                                    new Choice("", "freeipmi-tools default"),
                                    new Choice("8", "8 - HMAC-MD5::HMAC-MD5-128::AES-CBC-128"),
                                    new Choice("12", "12 - HMAC-MD5::MD5-128::AES-CBC-128")),
                            "3", Scope.BMC, false),
                    new PowerField("privilege_level", "Privilege Level", false, FieldType.CHOICE,
                            List.of(new Choice("USER", "User"), new Choice("OPERATOR", "Operator"),
                                    new Choice("ADMIN", "Administrator")),
                            "OPERATOR", Scope.BMC, false),
                    new PowerField("workaround_flags", "Workaround Flags", false, FieldType.MULTIPLE_CHOICE,
                            List.of(new Choice("opensesspriv", "Opensesspriv"), new Choice("authcap", "Authcap"),
                                    new Choice("idzero", "Idzero"), new Choice("unexpectedauth", "Unexpectedauth"),
                                    new Choice("forcepermsg", "Forcepermsg"), new Choice("endianseq", "Endianseq"),
                                    new Choice("intel20", "Intel20"), new Choice("supermicro20", "Supermicro20"),
                                    new Choice("sun20", "Sun20"), new Choice("nochecksumcheck", "Nochecksumcheck"),
                                    new Choice("integritycheckvalue", "Integritycheckvalue"),
                                    new Choice("ipmiping", "Ipmiping"), new Choice("", "None")),
                            "opensesspriv", Scope.BMC, false),
                    new PowerField("mac_address", "Power MAC", false, FieldType.MAC_ADDRESS, List.of(), "",
                            Scope.NODE, false),
                    new PowerField("power_off_mode", "Power off mode", false, FieldType.CHOICE,
                            List.of(new Choice("soft", "Soft power off"), new Choice("hard", "Hard power off")),
                            "hard", Scope.NODE, false)));

    /** IPMI 2.0 (RAKP) passwords have at most 20 bytes, IPMI 1.5 ones 16; user names 16 in both. */
    static final int MAX_PASSWORD_V2 = 20;
    static final int MAX_PASSWORD_V15 = 16;
    static final int MAX_USER = 16;
    /** K_g: up to 20 bytes, as text or as 0x and up to 40 hex digits (FreeIPMI's two forms). */
    private static final Pattern K_G_HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,40}");
    /** A host name, an IPv4 or IPv6 address (IPv6 may be bracketed), with an optional :port. */
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%:\\[\\]-]{1,255}");

    private final Path toolDir;
    private final int sessionTimeoutMillis;
    private final Duration commandTimeout;
    private final ArpTable arp;
    /** BMCs already warned about: the warning is logged once per address, not on every call. */
    private final java.util.Set<String> warnedInsecure = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Activate
    public IpmiPowerDriver(Config config) {
        this(config.tool__dir().isBlank() ? null : Path.of(config.tool__dir()), config.session__timeout__ms(),
                Duration.ofSeconds(config.command__timeout()), ArpTable.SYSTEM);
    }

    IpmiPowerDriver(Path toolDir, int sessionTimeoutMillis, Duration commandTimeout, ArpTable arp) {
        this.toolDir = toolDir;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        this.commandTimeout = commandTimeout;
        this.arp = arp;
    }

    @Override
    public PowerDriverDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Settings the BMC would refuse on every call are refused when saved: over-long credentials (FreeIPMI answers
     * "password value too long" at each operation otherwise), a malformed K_g, an address with characters no host has.
     */
    @Override
    public void validate(Map<String, String> s) throws PowerFailure {
        String pass = s.getOrDefault("power_pass", "");
        boolean v2 = "LAN_2_0".equals(s.get("power_driver"));
        int maxPass = v2 ? MAX_PASSWORD_V2 : MAX_PASSWORD_V15;
        if (pass.getBytes(StandardCharsets.UTF_8).length > maxPass) {
            throw PowerFailure.invalidSetting("power_pass", "power_pass is longer than " + maxPass
                    + " characters, the most IPMI " + (v2 ? "2.0" : "1.5") + " allows");
        }
        if (s.getOrDefault("power_user", "").getBytes(StandardCharsets.UTF_8).length > MAX_USER) {
            throw PowerFailure.invalidSetting("power_user",
                    "power_user is longer than " + MAX_USER + " characters, the most IPMI allows");
        }
        String kg = s.getOrDefault("k_g", "");
        if (!kg.isEmpty() && !K_G_HEX.matcher(kg).matches()
                && (kg.startsWith("0x") || kg.getBytes(StandardCharsets.UTF_8).length > 20)) {
            throw PowerFailure.invalidSetting("k_g", "k_g must be up to 20 characters, or 0x and up to 40 hex digits");
        }
        String address = s.getOrDefault("power_address", "");
        if (!address.isEmpty() && !ADDRESS.matcher(address).matches()) {
            throw PowerFailure.invalidSetting("power_address",
                    "power_address must be a host name or an IP address, optionally with :port");
        }
    }

    @Override
    public void powerOn(Map<String, String> settings) throws PowerFailure {
        Map<String, String> s = PowerSettings.resolve(DESCRIPTOR, settings);
        try {
            setBootFlags(s);
        } catch (PowerFailure e) {
            if (e.kind() == Kind.AUTHENTICATION) {
                throw e;
            }
            // MAAS only logs other failures of the boot-flag change and powers on anyway
            LOG.log(System.Logger.Level.WARNING, "one-time PXE boot not set: " + e.getMessage());
        }
        power(s, "--cycle", "--on-if-off");
    }

    @Override
    public void powerOff(Map<String, String> settings) throws PowerFailure {
        Map<String, String> s = PowerSettings.resolve(DESCRIPTOR, settings);
        power(s, "soft".equals(s.get("power_off_mode")) ? "--soft" : "--off");
    }

    /** MAAS does not reset over IPMI; FreeIPMI can, and ipmi_sim accepts it. */
    @Override
    public void powerReset(Map<String, String> settings) throws PowerFailure {
        power(PowerSettings.resolve(DESCRIPTOR, settings), "--reset");
    }

    @Override
    public PowerState query(Map<String, String> settings) throws PowerFailure {
        String output = power(PowerSettings.resolve(DESCRIPTOR, settings), "--stat");
        return IpmiOutput.state(output).orElseThrow(() -> new PowerFailure(Kind.ACTION,
                "ipmipower --stat gave no state: " + IpmiOutput.firstLine(output)));
    }

    @Override
    public void setPxeBootOnce(Map<String, String> settings) throws PowerFailure {
        setBootFlags(PowerSettings.resolve(DESCRIPTOR, settings));
    }

    private String power(Map<String, String> s, String... action) throws PowerFailure {
        return checked("ipmipower", runWithKgFallback(s, "ipmipower", List.of(action)));
    }

    /** The output, unless it names a known error or the tool failed. */
    private static String checked(String tool, Run run) throws PowerFailure {
        Optional<PowerFailure> failure = IpmiOutput.failure(tool, run.output());
        if (failure.isPresent()) {
            throw failure.get();
        }
        if (run.exit() != 0) {
            throw new PowerFailure(Kind.ACTION, tool + ": " + IpmiOutput.firstLine(run.output()));
        }
        return run.output();
    }

    /** Exit code and merged output of one tool run. */
    record Run(int exit, String output) {
    }

    private void setBootFlags(Map<String, String> s) throws PowerFailure {
        Path work = privateDir();
        try {
            StringBuilder file = new StringBuilder("Section Chassis_Boot_Flags\n\tBoot_Flags_Persistent No\n");
            switch (s.getOrDefault("power_boot_type", "auto")) {
                case "efi" -> file.append("\tBIOS_Boot_Type EFI\n");
                case "legacy" -> file.append("\tBIOS_Boot_Type PC-COMPATIBLE\n");
                default -> {
                    // auto: leave the BIOS boot type as it is
                }
            }
            file.append("\tBoot_Device PXE\nEndSection\n");
            Path flags = work.resolve("boot-flags.conf");
            Files.writeString(flags, file, StandardCharsets.US_ASCII);
            List<String> args = new ArrayList<>(List.of("--commit", "--filename", flags.toString()));
            checked("ipmi-chassis-config", runWithKgFallback(s, "ipmi-chassis-config", args));
        } catch (IOException e) {
            throw new PowerFailure(Kind.ACTION, "cannot write the boot-flags file (" + e.getClass().getSimpleName()
                    + ")");
        } finally {
            delete(work);
        }
    }

    /** MAAS retries once without K_g when the BMC says the K_g is invalid. */
    private Run runWithKgFallback(Map<String, String> s, String tool, List<String> args) throws PowerFailure {
        Run run = run(s, tool, args, true);
        if (!s.getOrDefault("k_g", "").isEmpty() && run.output().toLowerCase(Locale.ROOT).contains("k_g invalid")) {
            LOG.log(System.Logger.Level.WARNING, "BMC refused the K_g key; trying again without it");
            return run(s, tool, args, false);
        }
        return run;
    }

    /** Runs one FreeIPMI tool and returns its standard output and error, merged. */
    Run run(Map<String, String> s, String tool, List<String> toolArgs, boolean withKg) throws PowerFailure {
        String executable = executable(tool);
        String address = address(s);
        Path work = privateDir();
        try {
            String user = s.getOrDefault("power_user", "");
            String pass = s.getOrDefault("power_pass", "");
            String kg = withKg ? s.getOrDefault("k_g", "") : "";
            List<String> credentials = new ArrayList<>();
            if (fitsConfigFile(user) && fitsConfigFile(pass) && fitsConfigFile(kg)) {
                Path file = work.resolve("freeipmi.conf");
                StringBuilder conf = new StringBuilder();
                if (!user.isEmpty()) {
                    conf.append("username ").append(user).append('\n');
                }
                if (!pass.isEmpty()) {
                    conf.append("password ").append(pass).append('\n');
                }
                if (!kg.isEmpty()) {
                    conf.append("k_g ").append(kg).append('\n');
                }
                Files.writeString(file, conf, StandardCharsets.UTF_8);
                credentials.add("--config-file=" + file);
            } else {
                // FreeIPMI's config file cannot hold blanks or '#': pass them as MAAS does, on the command line
                credentials.addAll(List.of("-u", user, "-p", pass));
                if (!kg.isEmpty()) {
                    credentials.addAll(List.of("-k", kg));
                }
            }

            List<String> command = new ArrayList<>();
            command.add(executable);
            String flags = s.getOrDefault("workaround_flags", "").replace(" ", "");
            if (!flags.isEmpty() && !flags.replace(",", "").isEmpty()) {
                command.add("-W");
                command.add(String.join(",", Stream.of(flags.split(",")).filter(f -> !f.isEmpty()).toList()));
            }
            command.addAll(credentials);
            command.add("--driver-type=" + s.getOrDefault("power_driver", "LAN_2_0"));
            command.add("-h");
            command.add(address);
            String cipher = s.getOrDefault("cipher_suite_id", "");
            if (!cipher.isEmpty()) {
                command.add("-I");
                command.add(cipher);
                if (!cipher.equals("17") && warnedInsecure.add(address)) {
                    LOG.log(System.Logger.Level.WARNING, "BMC " + address + " is used with the non-secure cipher suite "
                            + cipher + "; 17 is the secure one");
                }
            }
            command.add("-l");
            command.add(s.getOrDefault("privilege_level", "OPERATOR"));
            if (sessionTimeoutMillis > 0) {
                // FreeIPMI refuses a session timeout not above the retransmission timeout (1 s by default)
                command.add("--session-timeout=" + sessionTimeoutMillis);
                command.add("--retransmission-timeout=" + Math.max(50, sessionTimeoutMillis / 4));
            }
            command.addAll(toolArgs);
            return execute(tool, command, work.resolve("output"));
        } catch (IOException e) {
            throw new PowerFailure(Kind.ACTION, "cannot write the credentials file (" + e.getClass().getSimpleName()
                    + ")");
        } finally {
            delete(work);
        }
    }

    private static boolean fitsConfigFile(String value) {
        return value.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '#' || c == '"' || c == '\\');
    }

    /**
     * Runs the tool with its output going to a file in the call's private folder: no reader thread to schedule,
     * and a tool that prints much cannot block on a full pipe.
     */
    private Run execute(String tool, List<String> command, Path output) throws PowerFailure {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new PowerFailure(Kind.MISSING_TOOL, tool + " cannot be run; install the freeipmi-tools package");
        }
        try {
            if (!process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PowerFailure(Kind.CONNECTION, tool + " did not finish within " + commandTimeout.toSeconds()
                        + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PowerFailure(Kind.CONNECTION, tool + " interrupted");
        }
        try (InputStream in = Files.newInputStream(output)) {
            return new Run(process.exitValue(), new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PowerFailure(Kind.ACTION, tool + " output could not be read");
        }
    }

    private String executable(String tool) throws PowerFailure {
        if (toolDir != null) {
            Path path = toolDir.resolve(tool);
            if (!Files.isExecutable(path)) {
                throw new PowerFailure(Kind.MISSING_TOOL, tool + " not found in " + toolDir
                        + "; install the freeipmi-tools package");
            }
            return path.toString();
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (pathVariable + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        throw new PowerFailure(Kind.MISSING_TOOL, tool + " is not installed; install the freeipmi-tools package");
    }

    /** power_address, or the address the ARP table has for mac_address. */
    private String address(Map<String, String> s) throws PowerFailure {
        String address = s.getOrDefault("power_address", "");
        if (!address.isEmpty()) {
            if (address.startsWith("-") || address.contains(" ")) {
                throw new PowerFailure(Kind.SETTING, "power_address must be a host name or IP address[:port]");
            }
            return address;
        }
        String mac = s.getOrDefault("mac_address", "");
        if (mac.isEmpty()) {
            throw new PowerFailure(Kind.SETTING, "power_address is required when mac_address is not given");
        }
        return arp.addressOf(mac).orElseThrow(() -> new PowerFailure(Kind.SETTING,
                "power_address is empty and mac_address is not in the ARP table"));
    }

    private static Path privateDir() throws PowerFailure {
        try {
            return Files.createTempDirectory("metalforge-ipmi-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            throw new PowerFailure(Kind.ACTION, "cannot create a private temporary folder");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort; the folder is private to this user
        }
    }
}
