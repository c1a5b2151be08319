package org.coalitiontracker.metrics.reconciliation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import org.coalitiontracker.metrics.totals.CoalitionTotals;
import org.coalitiontracker.problems.Problem;

import io.smallrye.mutiny.Uni;

@Path("/reconciliation")
public class ReconciliationResource {

    private final MembershipRoster membership;
    private final CoalitionTotals coalitionTotals;

    ReconciliationResource(@RestClient MembershipRoster membership, CoalitionTotals coalitionTotals) {
        this.membership = membership;
        this.coalitionTotals = coalitionTotals;
    }

    /** Compares the coalition totals with membership-service's roster summary; 502 if membership cannot answer. */
    @GET
    public Uni<Response> reconcile() {
        return coalitionTotals.current()
                .chain(totals -> membership.summary().map(roster -> Reconciliation.of(totals, roster)))
                .map(reconciliation -> Response.ok(reconciliation).build())
                .onFailure().recoverWithItem(failure -> Problem.response(Response.Status.BAD_GATEWAY,
                        "Membership unavailable", "The roster summary could not be read: " + failure.getMessage()));
    }
}
