package dev.tally.backbone.problem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * The services write every field of an answer, null ones included ({@code "paymentRef": null}), so
 * in each OpenAPI document a property its schema does not list as {@code required} may be null
 * ({@code nullable: true} in the OpenAPI 3.0 document the services serve). A property that refers to
 * another schema gets a copy of it, nullable (and null among its enum values): {@code allOf: [$ref]}
 * with {@code nullable} beside it would still refuse null in JSON Schema validators. A
 * {@code required} property is never null.
 */
final class AbsentMayBeNull {
    private static final String PREFIX = "#/components/schemas/";

    private AbsentMayBeNull() {
    }

    static void mark(Components components) {
        if (components.getSchemas() == null) {
            return;
        }
        Map<String, Schema> named = components.getSchemas();
        named.values().forEach(schema -> markProperties(schema, null));
        named.values().forEach(schema -> markProperties(schema, named));
    }

    /** Without {@code named}: marks the properties of a type; with it, the properties that refer to a named schema. */
    private static void markProperties(Schema schema, Map<String, Schema> named) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> property : new ArrayList<>(properties.entrySet())) {
            Schema value = property.getValue();
            if (value.getItems() != null) {
                markProperties(value.getItems(), named);
            }
            markProperties(value, named);
            if (required.contains(property.getKey())) {
                continue;
            }
            if (named == null && value.getRef() == null) {
                nullable(value);
            } else if (named != null && value.getRef() != null && value.getRef().startsWith(PREFIX)) {
                Schema target = named.get(value.getRef().substring(PREFIX.length()));
                if (target != null) {
                    Schema copy = OASFactory.createSchema();
                    copy.setAll(new HashMap<>(target.getAll()));
                    if (value.getDescription() != null) {
                        copy.setDescription(value.getDescription());
                    }
                    schema.addProperty(property.getKey(), nullable(copy));
                }
            }
        }
    }

    private static Schema nullable(Schema value) {
        if (value.getType() != null && !value.getType().isEmpty() && !value.getType().contains(SchemaType.NULL)) {
            List<SchemaType> types = new ArrayList<>(value.getType());
            types.add(SchemaType.NULL);
            value.setType(types);
            if (value.getEnumeration() != null && !value.getEnumeration().contains(null)) {
                List<Object> values = new ArrayList<>(value.getEnumeration());
                values.add(null);
                value.setEnumeration(values);
            }
        }
        return value;
    }
}
