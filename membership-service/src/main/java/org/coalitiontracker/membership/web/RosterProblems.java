package org.coalitiontracker.membership.web;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.coalitiontracker.membership.roster.ClusterResource;
import org.coalitiontracker.membership.roster.Roster;
import org.coalitiontracker.problems.Problem;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The roster's own failures as problem+json (the shared problem-details module answers the rest): a cluster that is a
 * member already, a change to one that withdrew, a field wrong for its cluster, a missing or insufficient token.
 */
public class RosterProblems {

    private static final URI ALREADY_A_MEMBER = URI.create("https://coalition-tracker.org/problems/already-a-member");

    @ServerExceptionMapper
    public Response alreadyMember(Roster.AlreadyMember alreadyMember, UriInfo uriInfo) {
        URI existing = uriInfo.getBaseUriBuilder().path("clusters").path(alreadyMember.existing.id.toString()).build();
        return Response.fromResponse(Problem.of(Response.Status.CONFLICT, "Already a member",
                alreadyMember.getMessage()).about(ALREADY_A_MEMBER, existing.toString()).toResponse())
                .link(existing, "existing")
                .build();
    }

    @ServerExceptionMapper
    public Response noLongerMember(Roster.NoLongerMember noLongerMember) {
        return Problem.response(Response.Status.CONFLICT, "No longer a member", noLongerMember.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidField(Roster.InvalidField invalid) {
        return Problem.invalid(List.of(new Problem.Violation(invalid.field, invalid.getMessage()))).toResponse();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(RuntimeException exception) {
        return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED, "Unauthorized",
                "This needs a valid bearer token (missing, expired or not signed by a trusted issuer)"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException exception) {
        return Problem.response(Response.Status.FORBIDDEN, "Forbidden",
                "This needs a token with the role " + ClusterResource.PUBLISHER);
    }
}
