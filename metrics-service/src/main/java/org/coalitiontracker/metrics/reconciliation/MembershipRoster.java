package org.coalitiontracker.metrics.reconciliation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** membership-service, the system of record, at {@code quarkus.rest-client.membership.url} (MEMBERSHIP_URL). */
@RegisterRestClient(configKey = "membership")
@Path("/roster")
public interface MembershipRoster {

    @GET
    @Path("/summary")
    Uni<RosterSummary> summary();
}
