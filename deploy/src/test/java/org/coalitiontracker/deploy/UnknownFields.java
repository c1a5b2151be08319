package org.coalitiontracker.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * The fields of a typed model that its class does not know. Fabric8's and Strimzi's models keep those in
 * additionalProperties instead of failing, as the API server would with a strict schema; this walks the model and
 * names each, as a path like {@code spec.template.spec.containers[0].livenesProbe}.
 */
final class UnknownFields {

    private UnknownFields() {
    }

    static List<String> in(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> walk(item, path + "." + key, found));
            return;
        }
        if (value == null || !isModel(value.getClass())) {
            return;
        }
        BeanDescription bean = Overlay.MAPPER.getSerializationConfig()
                .introspect(Overlay.MAPPER.constructType(value.getClass()));
        AnnotatedMember anyGetter = bean.findAnyGetter();
        if (anyGetter != null && anyGetter.getValue(value) instanceof Map<?, ?> extra) {
            extra.keySet().forEach(key -> found.add(join(path, String.valueOf(key))));
        }
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (property.hasGetter()) {
                walk(property.getGetter().getValue(value), join(path, property.getName()), found);
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.startsWith("io.fabric8.") || pkg.startsWith("io.strimzi.");
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
