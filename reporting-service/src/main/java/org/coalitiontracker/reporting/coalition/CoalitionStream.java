package org.coalitiontracker.reporting.coalition;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.reporting.ReportingSettings;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;

/**
 * {@code GET /coalition/stream}: the totals as server-sent events, named {@code totals}, one per scope and change,
 * each with the totals' version as its id, and every keep-alive interval a {@code heartbeat} with their freshness. Versions
 * grow across all scopes, so a client that reconnects with
 * Last-Event-ID gets every scope that changed since, and one that connects afresh gets them all: nothing is missed.
 */
@Path("/coalition/stream")
public class CoalitionStream {

    private static final int BUFFERED_CHANGES = 10_000;

    private final LiveTotals live;
    private final Freshness freshness;
    private final TotalsDelays delays;
    private final Duration keepAlive;

    CoalitionStream(LiveTotals live, Freshness freshness, TotalsDelays delays, ReportingSettings settings) {
        this.live = live;
        this.freshness = freshness;
        this.delays = delays;
        this.keepAlive = settings.stream().keepAlive();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The totals as they change, live", description = "Server-sent events: first every scope's "
            + "totals newer than Last-Event-ID (all of them on a first connection), then one event named totals (data: "
            + "the scope's TotalsChanged, id: its version) per scope and change; and every keep-alive interval an "
            + "event named heartbeat with how fresh the totals are. A browser's EventSource reconnects with "
            + "Last-Event-ID by itself and misses nothing.")
    @APIResponse(responseCode = "200", description = "The event stream; it stays open.", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING, description = "event: totals, id: <version>, data: a TotalsChanged as JSON; or event: heartbeat, "
            + "data: the freshness report as JSON")))
    public Multi<OutboundSseEvent> stream(@Parameter(description = "The id of the last event received: the stream "
            + "starts after it") @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        long since = seen(lastEventId);
        // Subscribed to first, so that a change read while the snapshot is taken is sent, twice at worst (clients
        // keep the highest version per scope). A client that cannot keep up is cut off, and catches up when it
        // reconnects with Last-Event-ID.
        Multi<TotalsChanged> changes = live.changes().onOverflow().buffer(BUFFERED_CHANGES)
                .select().where(change -> change.version() > since).invoke(delays::pushed);
        // The views and what this replica's stream has read: whichever is newer per scope.
        Multi<TotalsChanged> snapshot = Panache.withSession(
                () -> ScopeView.<ScopeView> list("version > ?1", since))
                .map(views -> {
                    Map<String, TotalsChanged> newest = new HashMap<>();
                    Stream.concat(views.stream().map(ScopeView::totals), live.newest().stream())
                            .filter(totals -> totals.version() > since)
                            .forEach(totals -> newest.merge(totals.scope(), totals,
                                    (known, next) -> next.version() > known.version() ? next : known));
                    return newest.values().stream().sorted(Comparator.comparingLong(TotalsChanged::version))
                            .toList();
                })
                .onItem().transformToMulti(newest -> Multi.createFrom().iterable(newest));
        Multi<OutboundSseEvent> totals = Multi.createBy().merging().streams(changes, snapshot)
                .map(change -> sse.newEventBuilder().name("totals").id(String.valueOf(change.version()))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(change).build());
        // Heartbeats keep proxies and load balancers from closing a quiet connection, tell the dashboard that the
        // stream is alive (a browser sees no comments), and carry how fresh the totals are; one goes at once when
        // the totals turn stale or fresh again.
        Multi<Freshness.Report> reports = Multi.createBy().merging().streams(
                Multi.createFrom().ticks().every(keepAlive).map(tick -> freshness.current()),
                freshness.changes().onOverflow().drop());
        Multi<OutboundSseEvent> heartbeats = reports.map(report -> sse.newEventBuilder().name("heartbeat")
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(report).build());
        return Multi.createBy().merging().streams(totals, heartbeats);
    }

    private static long seen(String lastEventId) {
        try {
            return lastEventId == null ? 0 : Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }
}
