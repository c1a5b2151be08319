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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The roster over HTTP. Reads are open; every write needs a bearer token with the role {@value #PUBLISHER}. */
@Path("/clusters")
@Produces(MediaType.APPLICATION_JSON)
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
    @Operation(summary = "A cluster joins the coalition", description = "Adds the cluster to the roster and, in the "
            + "same transaction, its ClusterJoined event to the outbox, from which it reaches the topic cluster-events "
            + "(and so the totals) within a second. Needs a bearer token with the role publisher. A cluster of the same "
            + "country whose name differs only in case, accents, spacing or invisible characters is the same cluster: "
            + "409. The figures are exact to the thousandth; the region follows from the country.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JoinRequest.class), examples = @ExampleObject(name = "Port of Rotterdam", summary = "A cluster of the coalition's January 2025 wave", value = ClusterExamples.JOIN)))
    @APIResponse(responseCode = "201", description = "Joined: the cluster as the roster holds it.", headers = {
            @Header(name = "Location", description = "The new cluster's URL", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            @Header(name = "Idempotent-Replayed", description = "true when this answers a retry with the same Idempotency-Key", schema = @Schema(type = SchemaType.STRING)) }, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterView.class), examples = @ExampleObject(name = "Port of Rotterdam", value = ClusterExamples.CLUSTER)))
    @APIResponse(responseCode = "409", description = "The cluster is a member already: `existing` (and the Link header, "
            + "rel existing) is its URL.")
    public Uni<Response> join(@Valid @NotNull JoinRequest request,
            @Parameter(description = "Any string of 1 to 200 characters the caller chooses for this join; a retry "
                    + "with the same key and body answers the first 201 again instead of a 409.") @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200) String idempotencyKey,
            @Context UriInfo uriInfo) {
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
    @Operation(summary = "Revise a member's figures", description = "Replaces the cluster's emissions reduction "
            + "potential, jobs and GDP (all three) and emits ClusterFiguresRevised; the totals move by the difference. "
            + "Needs a bearer token with the role publisher.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FiguresRevision.class), examples = @ExampleObject(name = "Revised figures", value = ClusterExamples.REVISION)))
    @APIResponse(responseCode = "200", description = "The cluster with its new figures and version.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The cluster has withdrawn: its figures no longer change.")
    public Uni<ClusterView> reviseFigures(@Parameter(description = "The cluster's id") @PathParam("id") UUID id,
            @Valid @NotNull FiguresRevision revision) {
        return changes.revise(id, revision).map(ClusterView::of);
    }

    /** Records that a member left the coalition on a date; emits ClusterWithdrawn. */
    @RolesAllowed(PUBLISHER)
    @POST
    @Path("/{id}/withdrawal")
    @Operation(summary = "A member leaves the coalition", description = "Records the date on which the cluster left "
            + "and emits ClusterWithdrawn: from that date it no longer counts in the totals (it stays in the history "
            + "before). Needs a bearer token with the role publisher.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Withdrawal.class), examples = @ExampleObject(name = "Withdrawal", value = ClusterExamples.WITHDRAWAL)))
    @APIResponse(responseCode = "200", description = "The cluster with its withdrawal date.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The cluster has withdrawn already.")
    public Uni<ClusterView> withdraw(@Parameter(description = "The cluster's id") @PathParam("id") UUID id,
            @Valid @NotNull Withdrawal withdrawal) {
        return changes.withdraw(id, withdrawal).map(ClusterView::of);
    }

    /** The roster, a page at a time, optionally only one country's or one sector's clusters. */
    @GET
    @WithSession
    @Operation(summary = "The roster, page by page", description = "Every cluster that has joined, withdrawn ones "
            + "included, in joining order (then by name), optionally only one country's or one sector's.")
    @APIResponse(responseCode = "200", description = "One page of the roster and the number of clusters in all.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RosterPage.class)))
    public Uni<RosterPage> list(
            @Parameter(description = "Only this country's clusters: ISO 3166-1 alpha-2", example = "NL") @QueryParam("country") @CountryCode String country,
            @Parameter(description = "Only the clusters in this sector", example = "HYDROGEN") @QueryParam("sector") @SectorName String sector,
            @Parameter(description = "The page, from 0 to 10,000,000") @QueryParam("page") @DefaultValue("0") @Min(0) @Max(MAX_PAGE) int page,
            @Parameter(description = "Clusters per page, 1 to 200") @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
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
    @Operation(summary = "One cluster of the roster", description = "The cluster as the roster holds it now: its "
            + "figures, sectors, joining and withdrawal dates and version.")
    @APIResponse(responseCode = "200", description = "The cluster.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterView.class), examples = @ExampleObject(name = "Port of Rotterdam", value = ClusterExamples.CLUSTER)))
    public Uni<ClusterView> get(@Parameter(description = "The cluster's id") @PathParam("id") UUID id) {
        return Cluster.<Cluster> findById(id)
                .onItem().ifNull().failWith(() -> new NotFoundException("No cluster " + id))
                .map(ClusterView::of);
    }
}
