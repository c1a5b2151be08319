package org.coalitiontracker.reporting.coalition;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.problems.InvalidParameter;
import org.coalitiontracker.problems.Problem;
import org.coalitiontracker.reporting.web.Revalidation;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

@Path("/coalition")
@Produces(MediaType.APPLICATION_JSON)
public class CoalitionResource {

    /** An answer to {@code GET /coalition} and its JSON. */
    private record Answer(CoalitionTotals totals, String json) {
    }

    private final Timeline timeline;
    private final LiveTotals live;
    private final Freshness freshness;
    private final ObjectMapper json;
    /**
     * The last answer: what dashboards poll changes with the totals, their freshness and the date only, so its JSON
     * is written once per change, not once per request.
     */
    private volatile Answer last;

    CoalitionResource(Timeline timeline, LiveTotals live, Freshness freshness, ObjectMapper json) {
        this.timeline = timeline;
        this.live = live;
        this.freshness = freshness;
        this.json = json;
    }

    /**
     * The coalition's totals; all zero until the first totals arrive. The ETag is the view's version, so that a
     * dashboard polling with If-None-Match gets 304 Not Modified until the totals change.
     */
    @GET
    @Operation(summary = "The coalition's totals now or on a date", description = "Clusters, countries, emissions "
            + "reduction potential (MtCO2e a year), jobs and GDP (US$ billion), exact; with how fresh they are "
            + "(stale and why, the newest reconciliation with the roster). With asOf, the totals at the end of that "
            + "date, by the dates of joins and withdrawals. ETag and no-cache: poll with If-None-Match.")
    @APIResponse(responseCode = "200", description = "The totals.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CoalitionTotals.class), examples = @ExampleObject(name = "January 2025", summary = "The coalition as the World Economic Forum published it on 2025-01-22", value = """
            {"asOf": "2025-01-22", "clusters": 33, "countries": 16, "emissionsReductionMtPerYear": 832.000,
             "jobs": 4300000, "gdpUsdBn": 492.000, "updatedAt": null,
             "lastEventId": "4b06b026-c71c-4423-9a69-8de3cbf81a70",
             "freshness": {"lastEventAt": "2025-01-22T10:00:00Z", "stale": false, "reasons": [],
                           "checkedAt": "2026-12-02T09:09:15Z", "reconciliation": {"status": "EQUAL",
                           "checkedAt": "2026-12-02T09:09:16Z", "differentSince": null, "differences": [],
                           "deadLetteredRecords": 0}}}""")))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> totals(
            @Parameter(description = "A date (YYYY-MM-DD) from 1900-01-01; today when absent", example = "2024-01-16") @QueryParam("asOf") LocalDate date,
            @Context Request request) {
        // From memory: the newest coalition totals this replica has read, as fresh as the views or fresher.
        // The tag changes with the freshness too: a poll must see the totals turn stale though they did not move.
        TotalsChanged current = live.newest(LiveTotals.COALITION);
        Freshness.Report report = freshness.of(current);
        if (date == null) {
            return Uni.createFrom().item(Revalidation.revalidated(request, "coalition-"
                    + (current == null ? 0 : current.version()) + "-" + report.tag(),
                    () -> answer(CoalitionTotals.of(LocalDate.now(ZoneOffset.UTC), current, report))));
        }
        return timeline.asOf(date).map(totals -> Revalidation.revalidated(request, "coalition-"
                + (current == null ? 0 : current.version()) + "-" + date + "-" + report.tag(),
                () -> CoalitionTotals.of(totals, current, report)));
    }

    /**
     * The coalition's totals after each date on which they changed (joins, revisions and withdrawals), oldest first:
     * from {@code from} to {@code to}, and with a resolution coarser than a day, the last of those dates in each
     * period only.
     */
    @GET
    @Path("/history")
    @Operation(summary = "The coalition's totals over time", description = "The coalition's totals after each date "
            + "on which they changed (joins, revisions and withdrawals by their own dates), oldest first: what the "
            + "dashboard's chart draws. from and to keep the dates of a range; resolution (week, month, quarter or "
            + "year) keeps only the last date of change in each period, so that a long history answers in at most a "
            + "point per period: 12 a year by month.")
    @APIResponse(responseCode = "200", description = "The totals after each date of change kept.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Timeline.Totals.class)))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> history(
            @Parameter(description = "The first date to keep (YYYY-MM-DD), from 1900-01-01; the first of all when "
                    + "absent", example = "2024-01-01") @QueryParam("from") LocalDate from,
            @Parameter(description = "The last date to keep (YYYY-MM-DD), not before from; the last of all when "
                    + "absent", example = "2025-12-31") @QueryParam("to") LocalDate to,
            @Parameter(description = "day (every date of change, the default), week, month, quarter or year (the "
                    + "last date of change in each)", example = "month") @QueryParam("resolution") @DefaultValue("day") String resolution,
            @Context Request request) {
        Timeline.Resolution period = RESOLUTIONS.get(resolution);
        if (period == null) {
            throw new InvalidParameter("resolution", "must be one of day, week, month, quarter, year");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidParameter("to", "must not be before from (" + from + ")");
        }
        // Tagged with what it says: the history follows the directory, which the coalition's totals may lead or lag.
        return timeline.history(from, to, period).map(history -> Revalidation.revalidated(request,
                "history-" + history.digest(), history::value));
    }

    /**
     * The coalition broken down by country, region, sector (a cluster counts in each of its sectors) or cohort (join
     * year); sorted by {@code sort}: {@code name} (the default, A to Z) or a figure (largest first). Now, from the
     * newest totals this replica has read, as {@code GET /coalition} (a refresh of every open dashboard after each
     * change asks for the four at once: from memory, none waits on the database); as of a date, from the directory's
     * dates by the rule of {@code GET /coalition?asOf}.
     */
    @GET
    @Path("/{kind: countries|regions|sectors|cohorts}")
    @Operation(summary = "The coalition broken down", description = "One row per country, region, sector or cohort "
            + "(year of joining) with members, each with clusters, countries and the three figures; a cluster counts "
            + "in each of its sectors, so the sectors' rows add up to more than the coalition. With asOf, the rows at "
            + "the end of that date, by the dates of joins and withdrawals, as GET /coalition?asOf counts them; such "
            + "rows carry no updatedAt, lastEventId or lastEventAt.")
    @APIResponse(responseCode = "200", description = "The rows, in the order asked for.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ScopeTotals.class)))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> breakdown(
            @Parameter(description = "countries, regions, sectors or cohorts", example = "countries") @PathParam("kind") String kind,
            @Parameter(description = "name (A to Z, the default) or a figure, largest first: clusters, countries, "
                    + "emissionsReductionMtPerYear, jobs or gdpUsdBn", example = "emissionsReductionMtPerYear") @QueryParam("sort") @DefaultValue("name") String sort,
            @Parameter(description = "A date (YYYY-MM-DD) from 1900-01-01; now when absent", example = "2024-01-16") @QueryParam("asOf") LocalDate date,
            @Context Request request) {
        Comparator<ScopeTotals> order = ScopeTotals.ORDERS.get(sort);
        if (order == null) {
            throw new InvalidParameter("sort", "must be one of " + String.join(", ",
                    new TreeSet<>(ScopeTotals.ORDERS.keySet())));
        }
        if (date != null) {
            // Tagged with what it says, as the history: it follows the directory.
            return timeline.breakdown(KINDS.get(kind), date).map(scopes -> Revalidation.revalidated(request,
                    kind + "-" + date + "-" + sort + "-" + scopes.digest(), () -> scopes.value().stream()
                            .map(scope -> ScopeTotals.of(KINDS.get(kind), scope)).sorted(order).toList()));
        }
        // Tagged by the newest version of the kind's scopes, a scope whose clusters have all left included: its
        // leaving changes the rows, though it is not among them.
        List<TotalsChanged> scopes = live.newestOfKind(KINDS.get(kind));
        return Uni.createFrom().item(Revalidation.revalidated(request,
                kind + "-" + sort + "-" + scopes.stream().mapToLong(TotalsChanged::version).max().orElse(0),
                () -> scopes.stream().filter(scope -> scope.clusters() > 0).map(ScopeTotals::of).sorted(order)
                        .toList()));
    }

    @GET
    @Path("/countries/{country}")
    @Operation(summary = "One member country's totals", description = "The clusters, emissions reduction potential, "
            + "jobs and GDP of one country's members; 404 when none of its clusters is a member.")
    @APIResponse(responseCode = "200", description = "The country's totals.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScopeTotals.class)))
    @APIResponse(responseCode = "304", description = Revalidation.NOT_MODIFIED)
    public Uni<Response> country(
            @Parameter(description = "ISO 3166-1 alpha-2, in capitals", example = "GB") @PathParam("country") String country,
            @Context Request request) {
        if (!country.matches("[A-Z]{2}")) {
            throw new InvalidParameter("country", "must be an ISO 3166-1 alpha-2 code in capitals, like GB");
        }
        TotalsChanged scope = live.newest("country:" + country);
        return Uni.createFrom().item(scope == null || scope.clusters() == 0
                ? Problem.response(Response.Status.NOT_FOUND, "Not in the coalition",
                        "No cluster of " + country + " is a member")
                : Revalidation.revalidated(request, "country:" + country + "-" + scope.version(),
                        () -> ScopeTotals.of(scope)));
    }

    private String answer(CoalitionTotals totals) {
        Answer answer = last;
        if (answer == null || !answer.totals().equals(totals)) {
            try {
                answer = new Answer(totals, json.writeValueAsString(totals));
            } catch (JsonProcessingException impossible) {
                throw new IllegalStateException("CoalitionTotals is a record of plain values", impossible);
            }
            last = answer;
        }
        return answer.json();
    }

    private static final Map<String, Timeline.Resolution> RESOLUTIONS = Arrays
            .stream(Timeline.Resolution.values())
            .collect(Collectors.toMap(Timeline.Resolution::spelling, period -> period));

    private static final Map<String, String> KINDS = Map.of("countries", "country", "regions", "region",
            "sectors", "sector", "cohorts", "cohort");
}
