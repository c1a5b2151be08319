package org.coalitiontracker.problems;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import org.coalitiontracker.contracts.Bounds;

/**
 * Reads the parameters of every resource strictly, and answers a value it cannot read with a 400 that names the
 * parameter ({@link InvalidParameter}). JAX-RS answers a query or path parameter it cannot convert with a bare 404,
 * reads any word but "true" as {@code false}, and takes {@code 1-1-1-1-1} for a UUID. Dates are the ones the
 * services store: from {@link Bounds#EARLIEST_DATE} to {@link Bounds#LATEST_DATE}.
 */
@Provider
public class ParameterConverters implements ParamConverterProvider {

    private static final Pattern UUID_TEXT = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** How to read a type, and what to say when a value is not of it. */
    private record Reading(Function<String, Object> read, String expected) {
    }

    private static final Reading WHOLE_NUMBER = new Reading(Integer::valueOf, "must be a whole number");
    private static final Reading BOOLEAN = new Reading(ParameterConverters::bool, "must be true or false");
    private static final Map<Class<?>, Reading> READINGS = Map.of(
            Integer.class, WHOLE_NUMBER, int.class, WHOLE_NUMBER,
            Long.class, new Reading(Long::valueOf, "must be a whole number"),
            Boolean.class, BOOLEAN, boolean.class, BOOLEAN,
            LocalDate.class, new Reading(ParameterConverters::date, "must be a date from " + Bounds.EARLIEST_DATE
                    + " to " + Bounds.LATEST_DATE + ", written YYYY-MM-DD"),
            UUID.class, new Reading(ParameterConverters::uuid, "must be a UUID such as "
                    + "3f2a5c1e-8d7b-4e6f-9a0b-1c2d3e4f5a6b"));

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        Reading reading = READINGS.get(rawType);
        if (reading == null) {
            return null;
        }
        String name = name(annotations);
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    return (T) reading.read().apply(value);
                } catch (IllegalArgumentException | DateTimeParseException notOfTheType) {
                    throw new InvalidParameter(name, reading.expected());
                }
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    private static String name(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return query.value();
            }
            if (annotation instanceof PathParam path) {
                return path.value();
            }
            if (annotation instanceof HeaderParam header) {
                return header.value();
            }
        }
        return "parameter";
    }

    private static Boolean bool(String text) {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static LocalDate date(String text) {
        LocalDate date = LocalDate.parse(text);
        if (!Bounds.isStorable(date)) {
            throw new IllegalArgumentException(text);
        }
        return date;
    }

    private static UUID uuid(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException(text);
        }
        return UUID.fromString(text);
    }
}
