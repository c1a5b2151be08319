package org.coalitiontracker.reporting.coalition;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.problems.InvalidParameter;
import org.coalitiontracker.problems.Problem;
import org.coalitiontracker.reporting.web.Revalidation;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path("/coalition")
public class CoalitionResource {

    private final Timeline timeline;
    private final LiveTotals live;
    private final Freshness freshness;

    CoalitionResource(Timeline timeline, LiveTotals live, Freshness freshness) {
        this.timeline = timeline;
        this.live = live;
        this.freshness = freshness;
    }

    /**
     * The coalition's totals; all zero until the first totals arrive. The ETag is the view's version, so that a
     * dashboard polling with If-None-Match gets 304 Not Modified until the totals change.
     */
    @GET
    public Uni<Response> totals(@QueryParam("asOf") LocalDate date, @Context Request request) {
        if (date == null) {
            // From memory: the newest coalition totals this replica has read, as fresh as the views or fresher.
            // The tag changes with the freshness too: a poll must see the totals turn stale though they did not move.
            TotalsChanged current = live.newest(ScopeView.COALITION);
            Freshness.Report report = freshness.of(current);
            return Uni.createFrom().item(Revalidation.revalidated(request, "coalition-"
                    + (current == null ? 0 : current.version()) + "-" + report.tag(),
                    () -> CoalitionTotals.of(LocalDate.now(ZoneOffset.UTC), current, report)));
        }
        Freshness.Report report = freshness.current();
        return Panache.withSession(() -> ScopeView.<ScopeView> findById(ScopeView.COALITION).chain(view -> timeline
                .asOf(date).map(totals -> Revalidation.revalidated(request,
                        "coalition-" + (view == null ? 0 : view.version) + "-" + date + "-" + report.tag(),
                        () -> CoalitionTotals.of(totals, view, report)))));
    }

    /** The coalition's totals after each date on which they changed (joins and withdrawals), oldest first. */
    @GET
    @Path("/history")
    @WithSession
    public Uni<Response> history(@Context Request request) {
        return ScopeView.<ScopeView> findById(ScopeView.COALITION).chain(view -> timeline.history().map(
                history -> Revalidation.revalidated(request, "history-" + (view == null ? 0 : view.version), () -> history)));
    }

    /**
     * The coalition broken down by country, region, sector (a cluster counts in each of its sectors) or cohort (join
     * year); sorted by {@code sort}: {@code name} (the default, A to Z) or a figure (largest first).
     */
    @GET
    @Path("/{kind: countries|regions|sectors|cohorts}")
    @WithSession
    public Uni<Response> breakdown(@PathParam("kind") String kind, @QueryParam("sort") @DefaultValue("name") String sort,
            @Context Request request) {
        Comparator<ScopeTotals> order = ScopeTotals.ORDERS.get(sort);
        if (order == null) {
            throw new InvalidParameter("sort", "must be one of " + String.join(", ",
                    new TreeSet<>(ScopeTotals.ORDERS.keySet())));
        }
        String prefix = KINDS.get(kind) + ":";
        return ScopeView.<ScopeView> list("scope like ?1 and clusters > 0", prefix + "%").map(views -> Revalidation.revalidated(
                request, kind + "-" + views.stream().mapToLong(view -> view.version).max().orElse(0),
                () -> views.stream().map(ScopeTotals::of).sorted(order).toList()));
    }

    @GET
    @Path("/countries/{country}")
    @WithSession
    public Uni<Response> country(@PathParam("country") String country, @Context Request request) {
        if (!country.matches("[A-Z]{2}")) {
            throw new InvalidParameter("country", "must be an ISO 3166-1 alpha-2 code in capitals, like GB");
        }
        return ScopeView.<ScopeView> findById("country:" + country).map(view -> view == null || view.clusters == 0
                ? Problem.response(Response.Status.NOT_FOUND, "Not in the coalition",
                        "No cluster of " + country + " is a member")
                : Revalidation.revalidated(request, "country:" + country + "-" + view.version, () -> ScopeTotals.of(view)));
    }

    private static final Map<String, String> KINDS = Map.of("countries", "country", "regions", "region",
            "sectors", "sector", "cohorts", "cohort");
}
