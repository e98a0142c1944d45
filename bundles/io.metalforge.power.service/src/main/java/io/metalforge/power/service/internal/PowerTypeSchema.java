package io.metalforge.power.service.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerField;

/** A driver descriptor in the shape MAAS's describe_power_types answers (§7.1). */
final class PowerTypeSchema {

    private PowerTypeSchema() {
    }

    static Map<String, Object> of(PowerDriverDescriptor d) {
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("driver_type", "power");
        type.put("name", d.name());
        type.put("description", d.description());
        type.put("chassis", d.chassis());
        type.put("can_probe", d.canProbe());
        type.put("can_set_boot_order", false);
        type.put("queryable", d.queryable());
        type.put("missing_packages", List.of());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (PowerField f : d.fields()) {
            fields.add(field(f));
        }
        type.put("fields", fields);
        return type;
    }

    static Map<String, Object> field(PowerField f) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("name", f.name());
        field.put("label", f.label());
        field.put("required", f.required());
        field.put("field_type", f.type().name().toLowerCase(Locale.ROOT));
        field.put("choices", f.choices().stream().map(c -> List.of(c.value(), c.label())).toList());
        if (f.type() == PowerField.FieldType.MULTIPLE_CHOICE) {
            field.put("default", f.defaultValue().isEmpty() ? List.of() : List.of(f.defaultValue().split(",")));
        } else {
            field.put("default", f.defaultValue());
        }
        field.put("scope", f.scope().name().toLowerCase(Locale.ROOT));
        field.put("secret", f.secret());
        return field;
    }
}
