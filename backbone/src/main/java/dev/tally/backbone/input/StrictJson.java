package dev.tally.backbone.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * One JSON reading for every service (request bodies, events, stored answers): a document is read
 * as written or refused, never guessed at. Refused: a key that appears twice in an object, anything
 * after the document, a fraction for an integer ({@code 1.5} or {@code 1.0}), a string for a number or
 * a boolean ({@code "1"}, {@code "true"}), a number or a boolean for a string, a number for an enum,
 * an empty string for a number, boolean, enum or instant, a value outside an enum, and a NUL
 * ({@code \u0000}) in any string. Unknown properties are still ignored (readers stay tolerant of
 * fields added later). {@code JsonProblems} names the field of each refusal.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** After Quarkus's own customizers, so that its Java time module does not replace the strict instant reading. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    @SuppressWarnings("deprecation") // MapperFeature can still be set on a mapper before its first use (Jackson 2)
    public void customize(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        fail(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        fail(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        fail(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.EmptyString);
        fail(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        fail(mapper, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.EmptyString);
        fail(mapper, LogicalType.DateTime, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.EmptyString);
        mapper.registerModule(new SimpleModule("tally-strict-strings").addDeserializer(String.class, new NoNulStrings())
                .addDeserializer(Instant.class, new WrittenInstants()));
    }

    private static void fail(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        var config = mapper.coercionConfigFor(type);
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** A NUL in a JSON string: PostgreSQL refuses it in text, so it is refused at the edge, naming the field. */
    public static final class NulInString extends InvalidFormatException {
        NulInString(JsonParser p, String value) {
            super(p, "must not contain NUL (\\u0000) characters", value, String.class);
        }
    }

    /**
     * An instant is an ISO-8601 string between 1970-01-01 and 9999-12-31 (Jackson's own reading would take
     * a number as epoch seconds and years past 9999, which then come back as {@code +33658-09-27T...}).
     */
    static final class WrittenInstants extends StdDeserializer<Instant> {
        private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

        WrittenInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            Instant value = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            if (value != null && (value.isBefore(Instant.EPOCH) || value.isAfter(LAST))) {
                throw new InvalidFormatException(p, "must be an instant from 1970-01-01 to 9999-12-31", text, Instant.class);
            }
            return value;
        }
    }

    /** Jackson's own string reading (its coercion rules included), refusing NUL characters. */
    static final class NoNulStrings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new NulInString(p, value);
            }
            return value;
        }
    }
}
