package io.metalforge.preseed.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small builders for ordered YAML mappings. */
final class Maps {

    private Maps() {
    }

    /** An ordered map from key/value pairs; null values are left out. */
    static Map<String, Object> of(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }
}
