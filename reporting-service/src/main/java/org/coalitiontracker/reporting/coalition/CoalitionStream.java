package org.coalitiontracker.reporting.coalition;

import java.time.Duration;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;

/**
 * {@code GET /coalition/stream}: the totals as server-sent events, named {@code totals}, one per scope and change,
 * each with the totals' version as its id. Versions grow across all scopes, so a client that reconnects with
 * Last-Event-ID gets every scope that changed since, and one that connects afresh gets them all: nothing is missed.
 */
@Path("/coalition/stream")
public class CoalitionStream {

    private final LiveTotals live;
    private final Duration keepAlive;

    CoalitionStream(LiveTotals live, @ConfigProperty(name = "coalition.stream.keep-alive") Duration keepAlive) {
        this.live = live;
        this.keepAlive = keepAlive;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        long since = seen(lastEventId);
        // Subscribed to together: a change arriving while the views are read is sent twice at worst, never lost,
        // and clients keep the highest version per scope.
        Multi<TotalsChanged> snapshot = Panache.withSession(
                () -> ScopeView.<ScopeView> list("version > ?1 order by version", since))
                .onItem().transformToMulti(views -> Multi.createFrom().iterable(views))
                .map(TotalsChanged::of);
        Multi<OutboundSseEvent> totals = Multi.createBy().merging().streams(live.changes(), snapshot)
                .map(change -> sse.newEventBuilder().name("totals").id(String.valueOf(change.version()))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(change).build());
        // Comments keep proxies and load balancers from closing a quiet connection.
        Multi<OutboundSseEvent> keepAlives = Multi.createFrom().ticks().every(keepAlive)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(totals, keepAlives);
    }

    private static long seen(String lastEventId) {
        try {
            return lastEventId == null ? 0 : Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }
}
