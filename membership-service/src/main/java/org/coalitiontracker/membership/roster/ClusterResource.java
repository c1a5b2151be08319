package org.coalitiontracker.membership.roster;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The roster over HTTP. Reads are open; every write needs a bearer token with the role {@value #PUBLISHER}. */
@Path("/clusters")
public class ClusterResource {

    public static final String PUBLISHER = "publisher";
    /** Deeper pages would start past what an int offset holds; nobody pages through ten million pages. */
    static final int MAX_PAGE = 10_000_000;

    private final RosterChanges changes;

    ClusterResource(RosterChanges changes) {
        this.changes = changes;
    }

    /**
     * A cluster joins. With an {@code Idempotency-Key} header, a retry of the same request (same key, same body)
     * answers the original 201 again (with {@code Idempotent-Replayed: true}) instead of a 409.
     */
    @RolesAllowed(PUBLISHER)
    @POST
    public Uni<Response> join(@Valid @NotNull JoinRequest request,
            @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200) String idempotencyKey, @Context UriInfo uriInfo) {
        return changes.join(request, idempotencyKey).map(result -> Response
                .created(uriInfo.getAbsolutePathBuilder().path(result.cluster().id.toString()).build())
                .header("Idempotent-Replayed", result.replayed() ? "true" : null)
                .entity(ClusterView.of(result.cluster()))
                .build());
    }

    /** Replaces a member's figures; emits ClusterFiguresRevised. */
    @RolesAllowed(PUBLISHER)
    @PATCH
    @Path("/{id}/figures")
    public Uni<ClusterView> reviseFigures(@PathParam("id") UUID id, @Valid @NotNull FiguresRevision revision) {
        return changes.revise(id, revision).map(ClusterView::of);
    }

    /** Records that a member left the coalition on a date; emits ClusterWithdrawn. */
    @RolesAllowed(PUBLISHER)
    @POST
    @Path("/{id}/withdrawal")
    public Uni<ClusterView> withdraw(@PathParam("id") UUID id, @Valid @NotNull Withdrawal withdrawal) {
        return changes.withdraw(id, withdrawal).map(ClusterView::of);
    }

    /** The roster, a page at a time, optionally only one country's or one sector's clusters. */
    @GET
    @WithSession
    public Uni<RosterPage> list(@QueryParam("country") @CountryCode String country,
            @QueryParam("sector") @SectorName String sector,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        if (country != null) {
            where.append(" and country = :country");
            parameters.put("country", country);
        }
        if (sector != null) {
            where.append(" and array_contains(sectors, :sector)");
            parameters.put("sector", sector);
        }
        PanacheQuery<Cluster> query = Cluster.find(where.toString(), Sort.by("joinedOn", "nameKey", "id"), parameters);
        return query.page(page, size).list().chain(clusters -> query.count()
                .map(total -> new RosterPage(page, size, total, clusters.stream().map(ClusterView::of).toList())));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<ClusterView> get(@PathParam("id") UUID id) {
        return Cluster.<Cluster> findById(id)
                .onItem().ifNull().failWith(() -> new NotFoundException("No cluster " + id))
                .map(ClusterView::of);
    }
}
