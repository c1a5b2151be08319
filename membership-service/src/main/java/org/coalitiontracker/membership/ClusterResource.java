package org.coalitiontracker.membership;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The roster over HTTP. Reads are open; every write needs a bearer token with the role {@value #PUBLISHER}. */
@Path("/clusters")
public class ClusterResource {

    static final String PUBLISHER = "publisher";
    /** Deeper pages would start past what an int offset holds; nobody pages through ten million pages. */
    static final int MAX_PAGE = 10_000_000;

    private final Roster roster;
    private final RosterImport rosterImport;
    private final OutboxRelay relay;
    private final ObjectMapper mapper;

    ClusterResource(Roster roster, RosterImport rosterImport, OutboxRelay relay, ObjectMapper mapper) {
        this.roster = roster;
        this.rosterImport = rosterImport;
        this.relay = relay;
        this.mapper = mapper;
    }

    /**
     * A cluster joins. With an {@code Idempotency-Key} header, a retry of the same request (same key, same body)
     * answers the original 201 again (with {@code Idempotent-Replayed: true}) instead of a 409.
     */
    @RolesAllowed(PUBLISHER)
    @POST
    public Uni<Response> join(@Valid @NotNull JoinRequest request,
            @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200) String idempotencyKey, @Context UriInfo uriInfo) {
        Uni<Roster.Joined> joined = Uni.createFrom().deferred(() -> idempotencyKey == null
                ? roster.join(request).map(cluster -> new Roster.Joined(cluster, false))
                : roster.join(request, idempotencyKey, hash(request)))
                // Run again, a join that lost a race finds the winner: a 409, or the original answer for its key.
                .onFailure(Roster::lostRaceToSameJoin).retry().atMost(1);
        return evenIfCallerLeaves(joined.invoke(result -> {
            if (!result.replayed()) {
                relay.nudge();
            }
        })).map(result -> Response
                .created(uriInfo.getAbsolutePathBuilder().path(result.cluster().id.toString()).build())
                .header("Idempotent-Replayed", result.replayed() ? "true" : null)
                .entity(ClusterView.of(result.cluster()))
                .build());
    }

    /**
     * Runs a write to its end even if the caller hangs up first. Otherwise the closed connection cancels it midway and
     * Hibernate Reactive closes the session under a running statement: the change is rolled back and the log fills with
     * errors. Either way nothing half-done is stored; this way a retry with an Idempotency-Key finds the change made.
     */
    private static <T> Uni<T> evenIfCallerLeaves(Uni<T> write) {
        return Uni.createFrom().emitter(caller -> write.subscribe().with(caller::complete, caller::fail));
    }

    /** The request as the service read it, so that formatting differences do not make two retries differ. */
    private String hash(JoinRequest request) {
        try {
            byte[] canonical = mapper.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces a member's figures; emits ClusterFiguresRevised. */
    @RolesAllowed(PUBLISHER)
    @PATCH
    @Path("/{id}/figures")
    public Uni<ClusterView> reviseFigures(@PathParam("id") UUID id, @Valid @NotNull FiguresRevision revision) {
        return evenIfCallerLeaves(roster.revise(id, revision).invoke(relay::nudge)).map(ClusterView::of);
    }

    /** Records that a member left the coalition on a date; emits ClusterWithdrawn. */
    @RolesAllowed(PUBLISHER)
    @POST
    @Path("/{id}/withdrawal")
    public Uni<ClusterView> withdraw(@PathParam("id") UUID id, @Valid @NotNull Withdrawal withdrawal) {
        return evenIfCallerLeaves(roster.withdraw(id, withdrawal).invoke(relay::nudge)).map(ClusterView::of);
    }

    /** Joins every row of a roster CSV (the format of the coalition's published roster), row by row. */
    @RolesAllowed(PUBLISHER)
    @POST
    @Path("/import")
    @Consumes("text/csv")
    public Uni<RosterImport.Summary> importCsv(String csv) {
        return evenIfCallerLeaves(rosterImport.importRows(RosterCsv.read(csv)).invoke(relay::nudge));
    }

    /** Joins every element of a JSON array of join requests, row by row. */
    @RolesAllowed(PUBLISHER)
    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RosterImport.Summary> importJson(List<JoinRequest> requests) {
        List<RosterCsv.Row> rows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            JoinRequest request = requests.get(i);
            rows.add(request == null ? new RosterCsv.Row(i + 1, null, null, "not a join request")
                    : new RosterCsv.Row(i + 1, request.name(), request, null));
        }
        return evenIfCallerLeaves(rosterImport.importRows(rows).invoke(relay::nudge));
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
