package org.coalitiontracker.contracts;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;

/**
 * How consumers read JSON: strictly where leniency would change a value (a fractional number for a whole one, such
 * as {@code jobs} 1.9; a number in a string; a field given twice; anything after the object), and ignoring fields
 * they do not know (a v1 contract only ever gains optional fields).
 */
final class StrictJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("dates and times as producers write them")
                    .addDeserializer(LocalDate.class,
                            new AsProducersWriteIt<>(LocalDate.class, Rfc3339::date, LocalDateDeserializer.INSTANCE))
                    .addDeserializer(Instant.class,
                            new AsProducersWriteIt<>(Instant.class, Rfc3339::utc, InstantDeserializer.INSTANT)))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * A date or a time: read by {@link Rfc3339} in the form producers write, by the JSR-310 module's own reader
     * otherwise. In a replay, java.time's parsing of the times in totals messages alone took a tenth of
     * reporting-service's CPU.
     */
    private static final class AsProducersWriteIt<T> extends StdScalarDeserializer<T> {

        private final Function<String, T> direct;
        private final JsonDeserializer<T> otherwise;

        AsProducersWriteIt(Class<T> type, Function<String, T> direct, JsonDeserializer<T> otherwise) {
            super(type);
            this.direct = direct;
            this.otherwise = otherwise;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            T value = parser.hasToken(JsonToken.VALUE_STRING) ? direct.apply(parser.getText()) : null;
            return value != null ? value : otherwise.deserialize(parser, context);
        }
    }

    /** What reading gave: the value, or why there is none. */
    record Parsed<T>(T value, String problem) {
    }

    private StrictJson() {
    }

    static ObjectReader readerFor(Class<?> type) {
        return MAPPER.readerFor(type);
    }

    /** Reads the bytes as the reader's type; never throws. */
    static <T> Parsed<T> parse(ObjectReader reader, byte[] value) {
        String name = reader.getValueType().getRawClass().getSimpleName();
        if (value == null) {
            return new Parsed<>(null, "not a readable " + name + ": no value");
        }
        try {
            T parsed = reader.readValue(value);
            return parsed == null ? new Parsed<>(null, "not a readable " + name + ": null") : new Parsed<>(parsed, null);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            return new Parsed<>(null, "not a readable " + name + ": " + why);
        }
    }

    /** A CloudEvents id as the views store it: 1 to 64 visible ASCII characters. */
    static boolean isEventId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) <= ' ' || id.charAt(i) > '~') {
                return false;
            }
        }
        return true;
    }
}
