package io.metalforge.api.power;

import java.util.List;

/**
 * One setting of a power driver, as MAAS describes power parameters.
 *
 * @param name         parameter name, e.g. "power_address"
 * @param label        human label
 * @param required     whether the setting must be given
 * @param type         field type
 * @param choices      allowed values with labels, for choice types; empty otherwise
 * @param defaultValue default value, or "" for none
 * @param scope        whether the value belongs to the BMC or to the machine
 * @param secret       whether the value is a secret: never logged, never returned by the API
 */
public record PowerField(String name, String label, boolean required, FieldType type, List<Choice> choices,
        String defaultValue, Scope scope, boolean secret) {

    public PowerField {
        choices = List.copyOf(choices);
    }

    /** MAAS field types. */
    public enum FieldType {
        STRING, MAC_ADDRESS, CHOICE, MULTIPLE_CHOICE, PASSWORD
    }

    /** Where a value is stored. */
    public enum Scope {
        BMC, NODE
    }

    /** One allowed value of a choice field. */
    public record Choice(String value, String label) {
    }
}
