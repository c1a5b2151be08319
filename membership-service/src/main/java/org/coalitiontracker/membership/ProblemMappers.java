package org.coalitiontracker.membership;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
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
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Every error the API answers is problem+json: bad input names its fields, and nothing leaks a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException exception) {
        List<Problem.Violation> violations = exception.getConstraintViolations().stream()
                .map(violation -> new Problem.Violation(field(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        return Problem.invalid(violations.size() == 1 ? "1 field is invalid" : violations.size() + " fields are invalid",
                violations).toResponse();
    }

    /** JSON of the wrong shape for the request: a wrong type, a bad date, an unknown sector. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException exception) {
        return unreadable(exception);
    }

    private static Response unreadable(JsonProcessingException exception) {
        String field = exception instanceof JsonMappingException mapping
                ? mapping.getPath().stream()
                        .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                                : "[" + reference.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[")
                : "";
        String message = exception.getOriginalMessage();
        return Problem.invalid("The body is not a valid request", field.isEmpty() ? List.of()
                : List.of(new Problem.Violation(field, message))).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException exception) {
        return Problem.of(Response.Status.NOT_FOUND, "Not found", exception.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response alreadyMember(Roster.AlreadyMember alreadyMember, UriInfo uriInfo) {
        URI existing = uriInfo.getBaseUriBuilder().path("clusters").path(alreadyMember.existing.id.toString()).build();
        return Response.fromResponse(Problem.of(Response.Status.CONFLICT, "Already a member", alreadyMember.getMessage())
                .withExisting(existing.toString()).toResponse())
                .link(existing, "existing")
                .build();
    }

    @ServerExceptionMapper
    public Response noLongerMember(Roster.NoLongerMember noLongerMember) {
        return Problem.of(Response.Status.CONFLICT, "No longer a member", noLongerMember.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidField(Roster.InvalidField invalid) {
        return Problem.invalid("1 field is invalid", List.of(new Problem.Violation(invalid.field, invalid.getMessage())))
                .toResponse();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(RuntimeException exception) {
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, "Unauthorized",
                "This needs a valid bearer token (missing, expired or not signed by a trusted issuer)").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException exception) {
        return Problem.of(Response.Status.FORBIDDEN, "Forbidden",
                "This needs a token with the role " + ClusterResource.PUBLISHER).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception) {
        if (exception.getCause() instanceof JsonProcessingException malformed) {
            return unreadable(malformed);
        }
        Response.StatusType status = exception.getResponse().getStatusInfo();
        return new Problem(URI.create("about:blank"), status.getReasonPhrase(), status.getStatusCode(),
                exception.getMessage(), null, null).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException exception) {
        LOG.error("Unexpected failure", exception);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "Internal error",
                "The request failed; the service log has the details").toResponse();
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
