package org.coalitiontracker.reporting.directory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.PlainText;
import org.coalitiontracker.problems.Problem;
import org.coalitiontracker.reporting.web.Revalidation;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The directory of clusters, newest joins first. */
@Path("/clusters")
public class DirectoryResource {

    private static final String VOCABULARY_NAME = "[A-Z_]{1,32}";
    private static final String VOCABULARY_MESSAGE = "must be a name as the vocabulary spells it, like EUROPE or STEEL";
    /** Deeper pages would start past what an int offset holds. */
    private static final int MAX_PAGE = 10_000_000;

    public record Page(int page, int size, long total, List<Cluster> clusters) {
    }

    /**
     * Members (with {@code withdrawn=true}, those that withdrew too), newest joins first, filtered by country,
     * region, sector and cohort (join year), and by {@code q}, a part of the name ignoring case and accents, taken literally.
     */
    @GET
    @WithSession
    @Operation(summary = "The directory of clusters, page by page", description = "Members (with withdrawn=true, "
            + "those that withdrew too), newest joins first, each with its figures and version; filtered by country, "
            + "region, sector, cohort and a part of the name. ETag and no-cache: poll with If-None-Match.")
    @APIResponse(responseCode = "200", description = "One page and the number of clusters that match in all.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> list(
            @Parameter(description = "ISO 3166-1 alpha-2, in capitals", example = "NL") @QueryParam("country") @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code in "
                    + "capitals, like GB") String country,
            @Parameter(description = "A region as the vocabulary spells it", example = "EUROPE") @QueryParam("region") @Pattern(regexp = VOCABULARY_NAME, message = VOCABULARY_MESSAGE) String region,
            @Parameter(description = "A sector as the vocabulary spells it", example = "HYDROGEN") @QueryParam("sector") @Pattern(regexp = VOCABULARY_NAME, message = VOCABULARY_MESSAGE) String sector,
            @Parameter(description = "The year of joining, 1900 to 9999", example = "2025") @QueryParam("cohort") @Min(1900) @Max(9999) Integer cohort,
            @Parameter(description = "A part of the name, in any case, taken literally; at most 200 characters", example = "rotterdam") @QueryParam("q") @PlainText(max = Bounds.MAX_NAME_LENGTH) String q,
            @Parameter(description = "Include the clusters that withdrew") @QueryParam("withdrawn") @DefaultValue("false") boolean withdrawn,
            @Parameter(description = "The page, from 0 to 10,000,000") @QueryParam("page") @DefaultValue("0") @Min(0) @Max(MAX_PAGE) int page,
            @Parameter(description = "Clusters per page, 1 to 100") @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @Context Request request) {
        StringBuilder where = new StringBuilder(withdrawn ? "1 = 1" : "withdrawnOn is null");
        Map<String, Object> parameters = new HashMap<>();
        filter(where, parameters, "country = :country", "country", country);
        filter(where, parameters, "region = :region", "region", region);
        filter(where, parameters, "array_contains(sectors, :sector)", "sector", sector);
        filter(where, parameters, "year(joinedOn) = :cohort", "cohort", cohort);
        // Folded as the names are (V4), then its wildcards escaped: the fold can make one (a full-width %).
        filter(where, parameters, "nameKey like concat('%', replace(replace(replace(function('search_key', :q), "
                + "'!', '!!'), '%', '!%'), '_', '!_'), '%') escape '!'", "q", q);
        var query = ClusterEntry.<ClusterEntry> find(where.toString(),
                Sort.descending("joinedOn", "joinedSeq"), parameters);
        return directoryVersion().chain(version -> query.count().chain(total -> query.page(page, size).list()
                .map(entries -> Revalidation.revalidated(request, version,
                        () -> new Page(page, size, total, entries.stream().map(Cluster::of).toList())))));
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One cluster of the directory", description = "The cluster as the newest of its events "
            + "describes it: figures, sectors, joining and withdrawal dates, version.")
    @APIResponse(responseCode = "200", description = "The cluster.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Cluster.class), examples = @ExampleObject(name = "Port of Rotterdam", value = """
            {"clusterId": "0b9f4a52-6f0e-4f7e-9a53-3f1c2d7c8e21", "name": "Port of Rotterdam", "country": "NL",
             "region": "EUROPE", "sectors": ["PORT_LOGISTICS", "REFINING", "CHEMICALS"], "portAnchored": true,
             "joinedOn": "2025-01-22", "withdrawnOn": null, "emissionsReductionMtPerYear": 15.846, "jobs": 69231,
             "gdpUsdBn": 10.000, "figuresBasis": "apportioned: equal share of the published total of its joining wave",
             "version": 1}""")))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> one(@Parameter(description = "The cluster's id") @PathParam("id") UUID id, @Context Request request) {
        return ClusterEntry.<ClusterEntry> findById(id).map(entry -> entry == null
                ? Problem.response(Response.Status.NOT_FOUND, "No such cluster", "No cluster has the id " + id)
                : Revalidation.revalidated(request, "cluster-" + id + "-" + entry.version,
                        () -> Cluster.of(entry)));
    }

    @GET
    @Path("/{id}/versions")
    @WithSession
    @Operation(summary = "A cluster's history of versions", description = "Every version of the cluster, oldest "
            + "first: the join, each revision of its figures and its withdrawal, each with its event's id and time "
            + "and the figures it set.")
    @APIResponse(responseCode = "200", description = "The versions, oldest first.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ClusterVersion.class)))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> versions(@Parameter(description = "The cluster's id") @PathParam("id") UUID id,
            @Context Request request) {
        return ClusterEntry.<ClusterEntry> findById(id).chain(entry -> entry == null
                ? Uni.createFrom().item(Problem.response(Response.Status.NOT_FOUND, "No such cluster",
                        "No cluster has the id " + id))
                : ClusterVersion.<ClusterVersion> list("clusterId", Sort.ascending("version"), id)
                        .map(versions -> Revalidation.revalidated(request, "versions-" + id + "-" + versions.size(),
                                () -> versions)));
    }

    /**
     * A tag that changes with every change of the directory: a new cluster adds to the count, and an applied event
     * raises its cluster's version, so the sum of versions only grows.
     */
    static Uni<String> directoryVersion() {
        return Panache.getSession().chain(session -> session
                .createSelectionQuery("select count(c), coalesce(sum(c.version), 0) from ClusterEntry c",
                        Object[].class)
                .getSingleResult())
                .map(counts -> "directory-" + counts[0] + "-" + counts[1]);
    }

    private static void filter(StringBuilder where, Map<String, Object> parameters, String condition, String name,
            Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            parameters.put(name, value);
        }
    }
}
