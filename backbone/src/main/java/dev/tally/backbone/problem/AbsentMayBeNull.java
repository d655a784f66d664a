package dev.tally.backbone.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * The services write every field of an answer, null ones included ({@code "paymentRef": null}), so
 * in each OpenAPI document a property its schema does not list as {@code required} may be null:
 * {@code type: [string, "null"]}, or {@code anyOf: [$ref, null]} for a reference (written as
 * {@code nullable: true} in the OpenAPI 3.0 document the services serve). A {@code required}
 * property is never null.
 */
final class AbsentMayBeNull {
    private AbsentMayBeNull() {
    }

    static void mark(Components components) {
        if (components.getSchemas() == null) {
            return;
        }
        components.getSchemas().forEach((name, schema) -> markProperties(schema));
    }

    private static void markProperties(Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> property : new ArrayList<>(properties.entrySet())) {
            Schema value = property.getValue();
            if (value.getItems() != null) {
                markProperties(value.getItems());
            }
            markProperties(value);
            if (!required.contains(property.getKey())) {
                schema.addProperty(property.getKey(), nullable(value));
            }
        }
    }

    private static Schema nullable(Schema value) {
        if (value.getRef() != null) {
            return OASFactory.createSchema().addAnyOf(OASFactory.createSchema().ref(value.getRef()))
                    .addAnyOf(OASFactory.createSchema().addType(SchemaType.NULL));
        }
        if (value.getType() != null && !value.getType().isEmpty() && !value.getType().contains(SchemaType.NULL)) {
            value.addType(SchemaType.NULL);
        }
        return value;
    }
}
