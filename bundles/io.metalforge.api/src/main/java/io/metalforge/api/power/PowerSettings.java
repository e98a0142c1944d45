package io.metalforge.api.power;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks settings against a driver's schema, the same way for every driver. Messages name the field and, for
 * non-secret fields only, what is allowed; they never quote a value.
 */
public final class PowerSettings {

    /** Longest accepted value: settings come from API clients. */
    public static final int MAX_VALUE_LENGTH = 1024;

    /** Most settings one BMC may carry. */
    public static final int MAX_FIELDS = 64;

    private static final Pattern MAC = Pattern.compile("^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$");

    private PowerSettings() {
    }

    /**
     * The settings with the schema's defaults filled in, after checking that every key is a field of the schema,
     * required fields are present, choices are among the allowed values, MAC addresses look like one, and no
     * value is over-long or holds control characters.
     *
     * @throws PowerFailure of kind {@link PowerFailure.Kind#SETTING} naming the first bad field
     */
    public static Map<String, String> resolve(PowerDriverDescriptor descriptor, Map<String, String> given)
            throws PowerFailure {
        if (given.size() > MAX_FIELDS) {
            throw setting("too many settings (at most " + MAX_FIELDS + ")");
        }
        Map<String, PowerField> fields = new LinkedHashMap<>();
        descriptor.fields().forEach(f -> fields.put(f.name(), f));
        for (Map.Entry<String, String> entry : given.entrySet()) {
            String key = entry.getKey();
            if (!fields.containsKey(key) && !key.equals(PowerDriver.SYSTEM_ID)) {
                throw setting("unknown setting '" + printable(key) + "' for power driver '" + descriptor.name()
                        + "'; known: " + String.join(", ", fields.keySet()));
            }
            String value = entry.getValue();
            if (value != null && value.length() > MAX_VALUE_LENGTH) {
                throw PowerFailure.invalidSetting(key, key + " is longer than " + MAX_VALUE_LENGTH + " characters");
            }
            if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw PowerFailure.invalidSetting(key, key + " contains control characters");
            }
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        if (given.get(PowerDriver.SYSTEM_ID) != null) {
            resolved.put(PowerDriver.SYSTEM_ID, given.get(PowerDriver.SYSTEM_ID));
        }
        for (PowerField field : fields.values()) {
            String value = given.get(field.name());
            if (value == null && !field.defaultValue().isEmpty()) {
                value = field.defaultValue();
            }
            if (value == null || value.isEmpty()) {
                if (field.required()) {
                    throw PowerFailure.invalidSetting(field.name(), field.name() + " is required");
                }
                if (value != null) {
                    resolved.put(field.name(), value);
                }
                continue;
            }
            check(field, value);
            resolved.put(field.name(), value);
        }
        return resolved;
    }

    /** The settings without the values of secret fields. */
    public static Map<String, String> withoutSecrets(PowerDriverDescriptor descriptor, Map<String, String> settings) {
        Map<String, String> visible = new LinkedHashMap<>(settings);
        descriptor.fields().stream().filter(PowerField::secret).forEach(f -> visible.remove(f.name()));
        return visible;
    }

    private static void check(PowerField field, String value) throws PowerFailure {
        switch (field.type()) {
            case CHOICE -> {
                if (field.choices().stream().noneMatch(c -> c.value().equals(value))) {
                    throw PowerFailure.invalidSetting(field.name(), field.name() + " must be one of " + allowed(field));
                }
            }
            case MULTIPLE_CHOICE -> {
                for (String part : value.split(",", -1)) {
                    String item = part.trim();
                    if (field.choices().stream().noneMatch(c -> c.value().equals(item))) {
                        throw PowerFailure.invalidSetting(field.name(),
                                field.name() + " takes a comma-separated list of " + allowed(field));
                    }
                }
            }
            case MAC_ADDRESS -> {
                if (!MAC.matcher(value).matches()) {
                    throw PowerFailure.invalidSetting(field.name(),
                            field.name() + " must be a MAC address like 52:54:00:12:34:56");
                }
            }
            default -> {
                // strings and passwords: length and control characters are checked above
            }
        }
    }

    private static String allowed(PowerField field) {
        return field.choices().stream().map(c -> c.value().isEmpty() ? "''" : c.value())
                .collect(Collectors.joining(", "));
    }

    private static String printable(String key) {
        String cut = key.length() > 64 ? key.substring(0, 64) + "..." : key;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static PowerFailure setting(String detail) {
        return new PowerFailure(PowerFailure.Kind.SETTING, detail);
    }
}
