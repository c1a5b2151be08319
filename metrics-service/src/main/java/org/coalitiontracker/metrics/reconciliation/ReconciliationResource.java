package org.coalitiontracker.metrics.reconciliation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.problems.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.mutiny.Uni;

@Path("/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final CoalitionReconciliation reconciliation;

    ReconciliationResource(CoalitionReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    /** Compares the coalition totals with membership-service's roster summary; 502 if membership cannot answer. */
    @GET
    @Operation(summary = "The totals against the roster", description = "Compares the coalition's totals with "
            + "membership-service's roster summary now: equal or not, each figure that differs and since when, and the "
            + "records dead-lettered (not counted). The same check runs on a schedule and feeds gauges and the "
            + "dashboard.")
    @APIResponse(responseCode = "200", description = "The comparison.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reconciliation.class)))
    @APIResponse(responseCode = "502", description = "membership-service did not answer: nothing could be compared.")
    public Uni<Response> reconcile() {
        return reconciliation.check()
                .map(result -> Response.ok(result).build())
                .onFailure().recoverWithItem(failure -> Problem.response(Response.Status.BAD_GATEWAY,
                        "Membership unavailable", "The roster summary could not be read: " + failure.getMessage()));
    }
}
