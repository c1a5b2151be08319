package org.coalitiontracker.metrics.reconciliation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.problems.Problem;

import io.smallrye.mutiny.Uni;

@Path("/reconciliation")
public class ReconciliationResource {

    private final CoalitionReconciliation reconciliation;

    ReconciliationResource(CoalitionReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    /** Compares the coalition totals with membership-service's roster summary; 502 if membership cannot answer. */
    @GET
    public Uni<Response> reconcile() {
        return reconciliation.check()
                .map(result -> Response.ok(result).build())
                .onFailure().recoverWithItem(failure -> Problem.response(Response.Status.BAD_GATEWAY,
                        "Membership unavailable", "The roster summary could not be read: " + failure.getMessage()));
    }
}
