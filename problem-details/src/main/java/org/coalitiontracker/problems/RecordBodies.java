package org.coalitiontracker.problems;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Reads a JSON request body into a record field by field, so that a 400 names every field that is wrong at once: one
 * that is not of its type ({@code "gdpUsdBn": "abc"}) and those that break a constraint. Jackson alone stops at the
 * first field it cannot convert, and a caller would fix one field per round trip. A body that is not a JSON object
 * is a 400 too. What reads well is validated as usual ({@code @Valid}).
 * <p>
 * A reader of Quarkus REST's own kind: to ask a plain JAX-RS reader, it parses the resource method's parameter
 * annotations on every request (3 % of membership-service's CPU under joins), and this reader needs none of them.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class RecordBodies implements ServerMessageBodyReader<Record> {

    private final ObjectMapper mapper;
    private final Validator validator;
    /** Each record type's fields, their readers and its constructor, looked up once rather than on every request. */
    private final ClassValue<Shape> shapes = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type, mapper);
        }
    };

    RecordBodies(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    private record Shape(RecordComponent[] components, ObjectReader[] readers, Constructor<?> canonical) {

        static Shape of(Class<?> type, ObjectMapper mapper) {
            RecordComponent[] components = type.getRecordComponents();
            try {
                Constructor<?> canonical = type.getDeclaredConstructor(Arrays.stream(components)
                        .map(RecordComponent::getType).toArray(Class<?>[]::new));
                canonical.setAccessible(true);
                return new Shape(components, Arrays.stream(components)
                        .map(component -> mapper.readerFor(mapper.constructType(component.getGenericType())))
                        .toArray(ObjectReader[]::new), canonical);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot construct " + type.getName(), e);
            }
        }

        Record construct(Object[] values) {
            try {
                return (Record) canonical.newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot construct " + canonical.getDeclaringClass().getName(), e);
            }
        }
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo lazyMethod,
            MediaType mediaType) {
        return type.isRecord();
    }

    @Override
    public Record readFrom(Class<Record> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        return read(type, context.getInputStream());
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord();
    }

    @Override
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        return read(type, body);
    }

    private Record read(Class<Record> type, InputStream body) throws IOException {
        JsonNode tree;
        try {
            // Decimals exactly as written (a double would round some, and take 1E+400 for infinity).
            tree = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(body);
        } catch (JsonProcessingException notJson) {
            throw new BadRequestException(notJson);
        }
        if (tree == null || !tree.isObject()) {
            throw MismatchedInputException.from(null, type, "the body must be a JSON object");
        }
        Shape shape = shapes.get(type);
        RecordComponent[] components = shape.components();
        Object[] values = new Object[components.length];
        List<Problem.Violation> unreadable = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            JsonNode node = tree.get(components[i].getName());
            if (node == null || node.isNull()) {
                values[i] = absent(components[i].getType());
                continue;
            }
            try {
                values[i] = shape.readers()[i].readValue(node);
            } catch (JsonProcessingException e) {
                // A value of the wrong type, or a number beyond its type (a jobs of 2^63).
                unreadable.add(new Problem.Violation(components[i].getName() + path(e), ProblemMappers.expected(
                        e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
                                ? mismatched.getTargetType()
                                : components[i].getType())));
            }
        }
        Record record = shape.construct(values);
        if (unreadable.isEmpty()) {
            return record;
        }
        // The fields that could not be read are named once, for what they must be; the others by their constraints.
        Set<String> named = unreadable.stream().map(violation -> violation.field().replaceAll("\\[.*", ""))
                .collect(Collectors.toCollection(HashSet::new));
        List<Problem.Violation> violations = new ArrayList<>(unreadable);
        for (ConstraintViolation<Record> violation : validator.validate(record)) {
            String field = violation.getPropertyPath().toString();
            if (!named.contains(field.replaceAll("[\\[.].*", ""))) {
                violations.add(new Problem.Violation(field.replace(".<list element>", ""), violation.getMessage()));
            }
        }
        violations.sort(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message));
        throw new InvalidRequest(violations);
    }

    /** Where in a field the conversion failed: {@code [1]} for the second element of a list. */
    private static String path(JsonProcessingException failure) {
        if (!(failure instanceof JsonMappingException e)) {
            return "";
        }
        return e.getPath().stream().map(reference -> reference.getFieldName() != null
                ? "." + reference.getFieldName()
                : "[" + reference.getIndex() + "]").collect(Collectors.joining());
    }

    /** What a missing field is: null, or a primitive's zero (a constraint on it says whether that will do). */
    private static Object absent(Class<?> type) {
        return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
    }
}
