package dev.tally.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** fabric8 keeps fields its model does not know in additionalProperties: find them, with their path. */
final class UnknownFields {
    private UnknownFields() {
    }

    static void find(Object node, String path, List<String> out) {
        find(node, path, out, 0);
    }

    private static void find(Object node, String path, List<String> out, int depth) {
        if (node == null || depth > 25) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                find(e, path + "[" + i++ + "]", out, depth + 1);
            }
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = m.invoke(node);
                String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                if ("additionalProperties".equals(field)) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(k -> out.add(path + "." + k + ": unknown field"));
                    }
                } else if (!(value instanceof Map)) {
                    find(value, path + "." + field, out, depth + 1);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
