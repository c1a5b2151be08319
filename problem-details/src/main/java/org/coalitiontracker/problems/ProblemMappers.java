package org.coalitiontracker.problems;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * What every service answers when a request fails: problem+json, naming each offending field or parameter, and never
 * a stack trace or a {@code text/plain} body. A service adds mappers of its own for its own failures (a conflict, say);
 * the more specific mapper wins.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** How Jackson quotes a Java type in its messages; the API speaks JSON, not Java. */
    private static final Pattern JAVA_NAMES = Pattern.compile("`[^`]*`");
    /** A database restart or failover takes seconds. */
    private static final int RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameter invalid) {
        return Problem.invalid(List.of(new Problem.Violation(invalid.parameter(), invalid.getMessage()))).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequest invalid) {
        return Problem.invalid(invalid.violations()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException exception) {
        return Problem.invalid(exception.getConstraintViolations().stream()
                .map(violation -> new Problem.Violation(field(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message))
                .toList()).toResponse();
    }

    /** JSON of the wrong shape for the request: a wrong type, a bad date, an unknown sector. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException exception) {
        return unreadable(exception);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException exception) {
        return Problem.of(Response.Status.NOT_FOUND, "Not found", exception.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception) {
        if (exception.getCause() instanceof JsonProcessingException malformed) {
            return unreadable(malformed);
        }
        Response.StatusType status = exception.getResponse().getStatusInfo();
        return Problem.of(status, status.getReasonPhrase(), exception.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable exception) {
        if (DatabaseAway.causedBy(exception)) {
            LOG.warnf("The database is away: %s", exception.toString());
            return Response.fromResponse(Problem.response(Response.Status.SERVICE_UNAVAILABLE, "Service unavailable",
                    "The database is away for a moment; send the request again shortly"))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        LOG.error("Unexpected failure", exception);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "Internal error",
                "The request failed; the service log has the details").toResponse();
    }

    /**
     * A body that is not the JSON the request takes. The field is named as the caller wrote it, and what it must be
     * said in the API's words, not Java's.
     */
    static Response unreadable(JsonProcessingException exception) {
        String field = exception instanceof JsonMappingException mapping
                ? mapping.getPath().stream()
                        .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                                : "[" + reference.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[")
                : "";
        if (field.isEmpty()) {
            return Problem.invalid(exception instanceof MismatchedInputException mismatched
                    && mismatched.getTargetType() != null
                            ? "The body " + expected(mismatched.getTargetType()).replace("must be an object",
                                    "must be a JSON object")
                            : "The body is not JSON: " + JAVA_NAMES.matcher(exception.getOriginalMessage())
                                    .replaceAll("a value"))
                    .toResponse();
        }
        String message = exception instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
                ? expected(mismatched.getTargetType())
                : "cannot be read";
        return Problem.invalid(List.of(new Problem.Violation(field, message))).toResponse();
    }

    /** What a value of the type must look like, in JSON's terms. */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "must be a whole number";
        }
        if (type == BigDecimal.class || type == Double.class || type == double.class || type == Float.class
                || type == float.class) {
            return "must be a number";
        }
        if (type == LocalDate.class) {
            return "must be a date, written YYYY-MM-DD";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "must be a date and time as ISO 8601 writes them";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be text";
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be a list";
        }
        return "must be an object";
    }

    /**
     * The field as the caller named it: {@code name} for a body's field (not {@code join.request.name}), the
     * parameter's name for a query parameter.
     */
    private static String field(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
                .filter(node -> node.getKind() != ElementKind.METHOD)
                .toList();
        if (nodes.size() > 1 && nodes.get(0).getKind() == ElementKind.PARAMETER) {
            nodes = nodes.subList(1, nodes.size());
        }
        return nodes.stream()
                .map(node -> node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null
                        ? "[" + node.getIndex() + "]"
                        : node.getName())
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
