package io.metalforge.power.ipmi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.power.PowerFailure.Kind;
import io.metalforge.api.power.PowerState;

/** MAAS's classification of FreeIPMI output (§7.3), on the lines FreeIPMI prints. */
class IpmiOutputTest {

    @Test
    void errorsAreClassifiedBySubstring() {
        Map<String, Kind> lines = Map.ofEntries(
                Map.entry("10.0.0.1: username invalid", Kind.AUTHENTICATION),
                Map.entry("10.0.0.1: password invalid", Kind.AUTHENTICATION),
                Map.entry("10.0.0.1: password verification timeout", Kind.AUTHENTICATION),
                Map.entry("10.0.0.1: k_g invalid", Kind.AUTHENTICATION),
                Map.entry("10.0.0.1: privilege level insufficient", Kind.AUTHENTICATION),
                Map.entry("10.0.0.1: privilege level cannot be obtained for this user", Kind.AUTHENTICATION),
                Map.entry("10.0.0.1: authentication type unavailable for attempted privilege level",
                        Kind.SETTING),
                Map.entry("10.0.0.1: cipher suite id unavailable", Kind.SETTING),
                Map.entry("10.0.0.1: ipmi 2.0 unavailable", Kind.SETTING),
                Map.entry("ipmi-chassis-config: device not found", Kind.SETTING),
                Map.entry("could not find inband device", Kind.SETTING),
                Map.entry("10.0.0.1: connection timeout", Kind.CONNECTION),
                Map.entry("10.0.0.1: session timeout", Kind.CONNECTION),
                Map.entry("driver timeout", Kind.CONNECTION),
                Map.entry("message timeout", Kind.CONNECTION),
                Map.entry("10.0.0.1: BMC busy", Kind.CONNECTION),
                Map.entry("10.0.0.1: internal IPMI error", Kind.MISSING_TOOL));
        lines.forEach((line, kind) -> assertEquals(kind,
                IpmiOutput.failure("ipmipower", line).orElseThrow().kind(), line));
        assertTrue(IpmiOutput.failure("ipmipower", "10.0.0.1: ok").isEmpty());
    }

    @Test
    void stateIsReadWithMaasRegex() {
        assertEquals(PowerState.ON, IpmiOutput.state("10.0.0.1: on\n").orElseThrow());
        assertEquals(PowerState.OFF, IpmiOutput.state("10.0.0.1: off\n").orElseThrow());
        assertTrue(IpmiOutput.state("10.0.0.1: ok\n").isEmpty());
        assertEquals("(no output)", IpmiOutput.firstLine(""));
        assertEquals(List.of("a"), List.of(IpmiOutput.firstLine("a\nb")));
    }

    @Test
    void arpTableLinesGiveTheAddressOfAMac() {
        List<String> proc = List.of("IP address       HW type     Flags       HW address            Mask     Device",
                "192.168.1.20     0x1         0x2         52:54:00:aa:bb:cc     *        eth0");
        assertEquals("192.168.1.20", ArpTable.parse(proc, "52-54-00-AA-BB-CC").orElseThrow());
        assertTrue(ArpTable.parse(proc, "52:54:00:00:00:01").isEmpty());
    }
}
