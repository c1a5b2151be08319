package org.coalitiontracker.membership;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path("/clusters")
public class ClusterResource {

    private final Roster roster;

    ClusterResource(Roster roster) {
        this.roster = roster;
    }

    @POST
    public Uni<Response> join(@Valid @NotNull JoinRequest request, @Context UriInfo uriInfo) {
        return roster.join(request).map(cluster -> Response
                .created(uriInfo.getAbsolutePathBuilder().path(cluster.id.toString()).build())
                .entity(ClusterView.of(cluster))
                .build());
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<ClusterView> get(UUID id) {
        return Cluster.<Cluster> findById(id)
                .onItem().ifNull().failWith(() -> new NotFoundException("No cluster " + id))
                .map(ClusterView::of);
    }
}
