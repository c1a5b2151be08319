package org.coalitiontracker.reporting.coalition;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path("/coalition")
public class CoalitionResource {

    /** Clients may keep a copy but must ask (cheaply, with If-None-Match) before using it. */
    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    /**
     * The coalition's totals; all zero until the first totals arrive. The ETag is the view's version, so that a
     * dashboard polling with If-None-Match gets 304 Not Modified until the totals change.
     */
    @GET
    @WithSession
    public Uni<Response> totals(@Context Request request) {
        return ScopeView.<ScopeView> findById(ScopeView.COALITION).map(view -> {
            EntityTag tag = new EntityTag("coalition-" + (view == null ? 0 : view.version));
            Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
            Response.ResponseBuilder response = notModified != null ? notModified
                    : Response.ok(view == null ? CoalitionTotals.NONE_YET : CoalitionTotals.of(view));
            return response.tag(tag).cacheControl(REVALIDATE).build();
        });
    }
}
