package io.metalforge.machines.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.metalforge.api.deploy.Machine;

/**
 * A machine's hardware in the deployment preview's machine format (snake_case fields of
 * {@link io.metalforge.api.deploy.Machine}: interfaces, disks, storage, routes, boot_method, dns_servers,
 * search_domains), plus {@code memory} (MiB) and {@code cpu_count}, which MAAS shows and the composer does not need;
 * stored as JSON until commissioning can discover it. The identity (system id, host name, domain, architecture)
 * always comes from the machine itself. Without interfaces, each MAC becomes a DHCP interface eth0, eth1, ...
 */
final class Hardware {

    static final int MAX_JSON = 1 << 20;
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}[:-]){5}[0-9a-f]{2}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** What MAAS shows of a machine beyond the composer's format: memory in MiB and the number of CPUs. */
    record Extra(long memory, int cpuCount) {
    }

    /** Fields the hardware description may carry besides the composer's machine format. */
    private static final List<String> EXTRA_FIELDS = List.of("memory", "cpu_count");

    private Hardware() {
    }

    /** The memory and CPU count of a stored (valid) hardware description; 0 for what it does not say. */
    static Extra extra(String json) {
        ObjectNode node = parse(json);
        return new Extra(node.path("memory").asLong(0), node.path("cpu_count").asInt(0));
    }

    /** A MAC as stored: lower case with colons; IllegalArgumentException when it is not one. */
    static String mac(String text) {
        String m = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (!MAC.matcher(m).matches()) {
            throw new IllegalArgumentException("'" + printable(text) + "' is not a valid MAC address.");
        }
        return m.replace('-', ':');
    }

    /**
     * Checks client JSON and returns it normalised; identity fields in it are refused (they are the machine's).
     *
     * @throws IllegalArgumentException with an operator-readable message
     */
    static String validate(String json, String hostname, String architecture, List<String> macs) {
        if (json.length() > MAX_JSON) {
            throw new IllegalArgumentException("hardware description is larger than " + MAX_JSON + " bytes");
        }
        ObjectNode node = parse(json);
        for (String identity : List.of("system_id", "hostname", "architecture", "subarch")) {
            if (node.has(identity)) {
                throw new IllegalArgumentException("hardware: '" + identity + "' is the machine's own field, set it"
                        + " on the machine");
            }
        }
        for (String field : EXTRA_FIELDS) {
            JsonNode v = node.get(field);
            if (v != null && !(v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= 0)) {
                throw new IllegalArgumentException("hardware: '" + field + "' must be a whole number, 0 or more");
            }
        }
        machine(node.toString(), "validate", hostname, "maas", architecture, macs);
        return node.toString();
    }

    private static ObjectNode parse(String json) {
        try {
            if (!(JSON.readTree(json.isBlank() ? "{}" : json) instanceof ObjectNode o)) {
                throw new IllegalArgumentException("hardware description must be a JSON object");
            }
            return o;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("hardware description: " + e.getOriginalMessage().lines().findFirst()
                    .orElse("invalid JSON"));
        }
    }

    /** The composer's view of a machine. */
    static Machine machine(MachineRow row) {
        return machine(row.hardware(), row.systemId(), row.hostname(), row.domain(), row.architecture(), row.macs());
    }

    private static Machine machine(String json, String systemId, String hostname, String domain, String architecture,
            List<String> macs) {
        ObjectNode node = parse(json);
        node.remove(EXTRA_FIELDS);
        int slash = architecture.indexOf('/');
        node.put("system_id", systemId);
        node.put("hostname", hostname);
        if (!node.has("domain")) {
            node.put("domain", domain);
        }
        node.put("architecture", slash < 0 ? architecture : architecture.substring(0, slash));
        node.put("subarch", slash < 0 ? "generic" : architecture.substring(slash + 1));
        if (!node.has("interfaces")) {
            ArrayNode interfaces = node.putArray("interfaces");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < macs.size(); i++) {
                names.add("eth" + i);
                ObjectNode nic = interfaces.addObject();
                nic.put("name", "eth" + i);
                nic.put("type", "physical");
                nic.put("mac", macs.get(i));
                nic.put("enabled", true);
                nic.putArray("links").addObject().put("mode", i == 0 ? "dhcp4" : "link_up");
            }
        }
        try {
            return JSON.treeToValue(node, Machine.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            String detail = cause != null && cause.getMessage() != null && !(cause instanceof NullPointerException)
                    ? cause.getMessage() : e.getOriginalMessage().lines().findFirst().orElse("invalid");
            throw new IllegalArgumentException("hardware description: " + detail);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hardware description: " + e.getMessage(), e);
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

}
