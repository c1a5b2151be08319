package org.coalitiontracker.reporting.directory;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.PlainText;
import org.coalitiontracker.problems.Problem;
import org.coalitiontracker.reporting.web.Revalidation;

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
     * region, sector and cohort (join year), and by {@code q}, a part of the name in any case, taken literally.
     */
    @GET
    @WithSession
    public Uni<Response> list(
            @QueryParam("country") @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code in "
                    + "capitals, like GB") String country,
            @QueryParam("region") @Pattern(regexp = VOCABULARY_NAME, message = VOCABULARY_MESSAGE) String region,
            @QueryParam("sector") @Pattern(regexp = VOCABULARY_NAME, message = VOCABULARY_MESSAGE) String sector,
            @QueryParam("cohort") @Min(1900) @Max(9999) Integer cohort,
            @QueryParam("q") @PlainText(max = Bounds.MAX_NAME_LENGTH) String q,
            @QueryParam("withdrawn") @DefaultValue("false") boolean withdrawn,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @Context Request request) {
        StringBuilder where = new StringBuilder(withdrawn ? "1 = 1" : "withdrawnOn is null");
        Map<String, Object> parameters = new HashMap<>();
        filter(where, parameters, "country = :country", "country", country);
        filter(where, parameters, "region = :region", "region", region);
        filter(where, parameters, "array_contains(sectors, :sector)", "sector", sector);
        filter(where, parameters, "year(joinedOn) = :cohort", "cohort", cohort);
        filter(where, parameters, "lower(name) like :q escape '!'", "q", q == null ? null
                : "%" + q.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        var query = ClusterEntry.<ClusterEntry> find(where.toString(),
                Sort.descending("joinedOn", "joinedSeq"), parameters);
        return directoryVersion().chain(version -> query.count().chain(total -> query.page(page, size).list()
                .map(entries -> Revalidation.revalidated(request, version,
                        () -> new Page(page, size, total, entries.stream().map(Cluster::of).toList())))));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<Response> one(@PathParam("id") UUID id, @Context Request request) {
        return ClusterEntry.<ClusterEntry> findById(id).map(entry -> entry == null
                ? Problem.response(Response.Status.NOT_FOUND, "No such cluster", "No cluster has the id " + id)
                : Revalidation.revalidated(request, "cluster-" + id + "-" + entry.version,
                        () -> Cluster.of(entry)));
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
