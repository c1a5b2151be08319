package org.coalitiontracker.reporting.directory;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.InvalidParameter;
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

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The directory of clusters, newest joins first. */
@Path("/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class DirectoryResource {

    private static final String VOCABULARY_NAME = "[A-Z_]{1,32}";
    private static final String VOCABULARY_MESSAGE = "must be a name as the vocabulary spells it, like EUROPE or STEEL";
    /** Deeper than this, a page number costs a read of every cluster before it: follow the pages' next instead. */
    private static final int MAX_OFFSET = 10_000;
    /** Past this, a filter's matches are not counted: the count would read them all. */
    private static final int MAX_COUNTED = 10_000;
    private static final java.util.regex.Pattern CURSOR = java.util.regex.Pattern
            .compile("(\\d{4}-\\d{2}-\\d{2})_(\\d{1,18})");
    /**
     * Members unfiltered, counted without reading them: each entry adds one to the coalition's timeline in the month it
     * joined and takes it back in the month it withdrew (V11), so the sum over all months is the entries that have not
     * withdrawn.
     */
    private static final String MEMBERS = """
            SELECT coalesce(sum(clusters), 0) AS total FROM scope_period WHERE kind = 'coalition' AND period = 'month'""";
    private static final String EVERY_CLUSTER = """
            SELECT (SELECT coalesce(sum(clusters), 0) FROM scope_period WHERE kind = 'coalition' AND period = 'month')
                   + (SELECT count(*) FROM cluster_entry WHERE withdrawn_on IS NOT NULL) AS total""";
    /**
     * A part of a name as the directory's search looks for it: folded as the names are (V4), anywhere in them, its
     * wildcards escaped (the fold can make one: a full-width %).
     */
    private static final String SEARCH_PATTERN = """
            SELECT '%' || replace(replace(replace(search_key($1), '!', '!!'), '%', '!%'), '_', '!_') || '%'
                   AS pattern""";
    private static final String PLANNED_FOR_THESE_VALUES = "SET LOCAL plan_cache_mode = force_custom_plan";
    private static final String COLUMNS = """
            cluster_id, version, name, country, region, sectors, port_anchored, joined_on, withdrawn_on,
            emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis, joined_seq""";

    @Schema(description = "One page of the directory")
    public record Page(int page, int size,
            @Schema(description = "How many clusters match in all; null when a filter matches more than 10,000 "
                    + "(the directory unfiltered is always counted)") Long total,
            List<Cluster> clusters,
            @Schema(description = "The after of the next page; null on the last page") String next) {
    }

    private final Pool database;

    DirectoryResource(Pool database) {
        this.database = database;
    }

    /**
     * Members (with {@code withdrawn=true}, those that withdrew too), newest joins first, filtered by country,
     * region, sector and cohort (join year), and by {@code q}, a part of the name ignoring case and accents, taken
     * literally. A page is found by its number near the start, or anywhere by the previous page's {@code next}
     * (keyset: it costs the same at any depth).
     */
    @GET
    @Operation(summary = "The directory of clusters, page by page", description = "Members (with withdrawn=true, "
            + "those that withdrew too), newest joins first, each with its figures and version; filtered by country, "
            + "region, sector, cohort and a part of the name. Pages by number up to the 10,000th cluster; from any "
            + "page on, the next one by after=next. ETag and no-cache: poll with If-None-Match.")
    @APIResponse(responseCode = "200", description = "One page, the number of clusters that match in all and the "
            + "next page's after.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> list(
            @Parameter(description = "ISO 3166-1 alpha-2, in capitals", example = "NL") @QueryParam("country") @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code in "
                    + "capitals, like GB") String country,
            @Parameter(description = "A region as the vocabulary spells it", example = "EUROPE") @QueryParam("region") @Pattern(regexp = VOCABULARY_NAME, message = VOCABULARY_MESSAGE) String region,
            @Parameter(description = "A sector as the vocabulary spells it", example = "HYDROGEN") @QueryParam("sector") @Pattern(regexp = VOCABULARY_NAME, message = VOCABULARY_MESSAGE) String sector,
            @Parameter(description = "The year of joining, 1900 to 9999", example = "2025") @QueryParam("cohort") @Min(1900) @Max(9999) Integer cohort,
            @Parameter(description = "A part of the name, in any case, taken literally; at most 200 characters", example = "rotterdam") @QueryParam("q") @PlainText(max = Bounds.MAX_NAME_LENGTH) String q,
            @Parameter(description = "Include the clusters that withdrew") @QueryParam("withdrawn") @DefaultValue("false") boolean withdrawn,
            @Parameter(description = "The page, from 0, while it starts within the first 10,000 clusters; 0 with after") @QueryParam("page") @DefaultValue("0") @Min(0) @Max(MAX_OFFSET) int page,
            @Parameter(description = "Clusters per page, 1 to 100") @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @Parameter(description = "The page after the one whose next this is", example = "2025-01-22_1042") @QueryParam("after") @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}_\\d{1,18}", message = "must be a page's next, like 2025-01-22_1042") String after,
            @Context Request request) {
        if ((long) page * size > MAX_OFFSET) {
            throw new InvalidParameter("page", "must start within the first " + MAX_OFFSET
                    + " clusters; further on, follow the pages' next (after=)");
        }
        if (after != null && page != 0) {
            throw new InvalidParameter("page", "must be 0 with after: after says where the page starts");
        }
        Start start = Start.of(after);
        List<Object> values = new ArrayList<>();
        StringBuilder where = new StringBuilder(withdrawn ? "TRUE" : "withdrawn_on IS NULL");
        filter(where, values, "country = $", country);
        filter(where, values, "region = $", region);
        filter(where, values, "sectors @> ARRAY[$]::varchar[]", sector);
        if (cohort != null) {
            filter(where, values, "joined_on >= $", LocalDate.of(cohort, 1, 1));
            filter(where, values, "joined_on < $", LocalDate.of(cohort, 1, 1).plusYears(1));
        }
        // The pattern is folded first, on its own: folded inside the search, a plan made for any q would fold it
        // again for every entry it reads.
        Uni<String> pattern = q == null ? Uni.createFrom().nullItem()
                : database.preparedQuery(SEARCH_PATTERN).execute(Tuple.of(q))
                        .map(rows -> rows.iterator().next().getString("pattern"));
        return pattern.chain(like -> {
            filter(where, values, "name_key LIKE $ ESCAPE '!'", like);
            return page(request, withdrawn, page, size, start, values, where);
        });
    }

    /** The page of the clusters {@code where} picks, with their count and the next page's start. */
    private Uni<Response> page(Request request, boolean withdrawn, int page, int size, Start start,
            List<Object> values, StringBuilder where) {
        boolean filtered = values.size() > 0;
        String matching = " FROM cluster_entry WHERE " + where;
        List<Object> pageValues = new ArrayList<>(values);
        StringBuilder pageQuery = new StringBuilder("SELECT " + COLUMNS + matching);
        if (start != null) {
            pageValues.add(start.joinedOn());
            pageValues.add(start.joinedSeq());
            pageQuery.append(" AND (joined_on, joined_seq) < ($" + (pageValues.size() - 1) + ", $"
                    + pageValues.size() + ")");
        }
        pageQuery.append(" ORDER BY joined_on DESC, joined_seq DESC LIMIT " + (size + 1) + " OFFSET "
                + (long) page * size);
        // Planned for the values at hand, not once for any: a plan made for any search pattern or country walks the
        // join-date index through every entry to find a rare name (2.6 s at 1,000,000), where the trigram index
        // finds it at once; SET LOCAL keeps the setting to this read's transaction.
        return database.withTransaction(connection -> connection.query(PLANNED_FOR_THESE_VALUES).execute()
                .chain(() -> filtered
                        ? connection.preparedQuery("SELECT count(*) AS total FROM (SELECT 1" + matching + " LIMIT "
                                + (MAX_COUNTED + 1) + ") counted").execute(Tuple.from(values))
                                .map(rows -> rows.iterator().next().getLong("total"))
                                .map(counted -> counted > MAX_COUNTED ? null : counted)
                        : connection.query(withdrawn ? EVERY_CLUSTER : MEMBERS).execute()
                                .map(rows -> rows.iterator().next().getLong("total")))
                .chain(counted -> connection.preparedQuery(pageQuery.toString()).execute(Tuple.from(pageValues))
                        .map(rows -> {
                            List<Cluster> clusters = new ArrayList<>();
                            String next = null;
                            long lastSeq = 0;
                            for (Row row : rows) {
                                if (clusters.size() == size) {
                                    next = clusters.get(size - 1).joinedOn() + "_" + lastSeq;
                                    break;
                                }
                                clusters.add(Cluster.of(row));
                                lastSeq = row.getLong("joined_seq");
                            }
                            Page answer = new Page(page, size, counted, clusters, next);
                            return Revalidation.revalidated(request, "directory-" + Revalidation.digest(answer.toString()),
                                    () -> answer);
                        })));
    }

    @GET
    @Path("/{id}")
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
        return entry(id).map(entry -> entry == null ? noSuchCluster(id)
                : Revalidation.revalidated(request, "cluster-" + id + "-" + entry.version(), () -> entry));
    }

    @GET
    @Path("/{id}/versions")
    @Operation(summary = "A cluster's history of versions", description = "Every version of the cluster, oldest "
            + "first: the join, each revision of its figures and its withdrawal, each with its event's id and time "
            + "and the figures it set.")
    @APIResponse(responseCode = "200", description = "The versions, oldest first.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ClusterVersion.class)))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> versions(@Parameter(description = "The cluster's id") @PathParam("id") UUID id,
            @Context Request request) {
        return entry(id).chain(entry -> entry == null ? Uni.createFrom().item(noSuchCluster(id))
                : database.preparedQuery("SELECT " + ClusterVersion.COLUMNS
                        + " FROM cluster_version WHERE cluster_id = $1 ORDER BY version").execute(Tuple.of(id))
                        .map(rows -> {
                            List<ClusterVersion> versions = new ArrayList<>(rows.size());
                            rows.forEach(row -> versions.add(ClusterVersion.of(row)));
                            return Revalidation.revalidated(request, "versions-" + id + "-" + versions.size(),
                                    () -> versions);
                        }));
    }

    /** The cluster's entry in the directory; null if it has none. */
    private Uni<Cluster> entry(UUID id) {
        return database.preparedQuery("SELECT " + COLUMNS + " FROM cluster_entry WHERE cluster_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : Cluster.of(rows.iterator().next()));
    }

    private static Response noSuchCluster(UUID id) {
        return Problem.response(Response.Status.NOT_FOUND, "No such cluster", "No cluster has the id " + id);
    }

    /** Where a page starts: after the cluster that joined on this day, read in this place (a page's next). */
    private record Start(LocalDate joinedOn, long joinedSeq) {

        /** Null for the first page; a 400 naming after for a next no page could have given (a 30 February). */
        static Start of(String after) {
            if (after == null) {
                return null;
            }
            Matcher cursor = CURSOR.matcher(after);
            try {
                if (cursor.matches()) {
                    return new Start(LocalDate.parse(cursor.group(1)), Long.parseLong(cursor.group(2)));
                }
            } catch (DateTimeParseException notADay) {
                // as any other text that is not a page's next
            }
            throw new InvalidParameter("after", "must be a page's next, like 2025-01-22_1042");
        }
    }

    /** Adds a condition on a parameter given, numbering its placeholder ($). */
    private static void filter(StringBuilder where, List<Object> values, String condition, Object value) {
        if (value != null) {
            values.add(value);
            where.append(" AND ").append(condition.replace("$", "$" + values.size()));
        }
    }
}
