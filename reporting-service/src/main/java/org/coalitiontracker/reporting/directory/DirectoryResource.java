package org.coalitiontracker.reporting.directory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.reporting.coalition.Problem;
import org.coalitiontracker.reporting.coalition.Revalidation;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The directory of clusters, newest joins first. */
@Path("/clusters")
public class DirectoryResource {

    public record Page(int page, int size, long total, List<Cluster> clusters) {
    }

    /**
     * Members (with {@code withdrawn=true}, those that withdrew too), newest joins first, filtered by country,
     * region, sector and cohort (join year), and by {@code q}, a part of the name in any case.
     */
    @GET
    @WithSession
    public Uni<Response> list(@QueryParam("country") String country, @QueryParam("region") String region,
            @QueryParam("sector") String sector, @QueryParam("cohort") Integer cohort, @QueryParam("q") String q,
            @QueryParam("withdrawn") @DefaultValue("false") boolean withdrawn,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size,
            @Context Request request) {
        if (page < 0 || size < 1 || size > 100) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "Invalid page",
                    "page must be 0 or more and size between 1 and 100"));
        }
        StringBuilder where = new StringBuilder(withdrawn ? "1 = 1" : "withdrawnOn is null");
        Map<String, Object> parameters = new HashMap<>();
        filter(where, parameters, "country = :country", "country", country);
        filter(where, parameters, "region = :region", "region", region);
        filter(where, parameters, "array_contains(sectors, :sector)", "sector", sector);
        filter(where, parameters, "year(joinedOn) = :cohort", "cohort", cohort);
        filter(where, parameters, "lower(name) like :q", "q", q == null ? null : "%" + q.toLowerCase() + "%");
        var query = ClusterEntry.<ClusterEntry> find(where.toString(),
                Sort.descending("joinedOn", "joinedSeq"), parameters);
        return directoryVersion().chain(version -> query.count().chain(total -> query.page(page, size).list()
                .map(entries -> Revalidation.revalidated(request, version,
                        () -> new Page(page, size, total, entries.stream().map(Cluster::of).toList())))));
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<Response> one(@PathParam("id") String id, @Context Request request) {
        UUID clusterId;
        try {
            clusterId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "Not a cluster id",
                    "A cluster id is a UUID, not " + id));
        }
        return ClusterEntry.<ClusterEntry> findById(clusterId).map(entry -> entry == null
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
