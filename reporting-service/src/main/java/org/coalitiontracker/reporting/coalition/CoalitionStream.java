package org.coalitiontracker.reporting.coalition;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.problems.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.channel.EventLoop;
import io.quarkus.vertx.web.Header;
import io.quarkus.vertx.web.Route;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /coalition/stream}: the totals as server-sent events, named {@code totals}, one per scope and change (a
 * client that falls behind gets only each scope's newest), each with the totals' version as its id, and every
 * keep-alive interval a {@code heartbeat} with their freshness. A connected client is sent every change this replica
 * reads, in the order it reads them. Versions grow across all scopes, so a client that reconnects with Last-Event-ID
 * gets every scope whose version is above it, and one that connects afresh gets them all. One case is left to the
 * scope's next change: the topic is keyed by scope, so a change may be read after a newer version of another scope,
 * and a client that left in between and comes back with that newer version's id is not sent it.
 * <p>
 * Operators leave the dashboard open, so thousands of clients may listen. Each event is written once, as bytes, for
 * all of them; a change schedules one task on each event loop, which writes to each of its clients everything that
 * arrived after what that client was sent last. A client that cannot keep up holds no queue: it is sent the newest of
 * each scope when its connection drains.
 */
@Singleton
public class CoalitionStream {

    /** The clients by the event loop that serves their connections. */
    private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
    private final LiveTotals live;
    private final TotalsDelays delays;
    private final ObjectMapper json;

    CoalitionStream(LiveTotals live, Heartbeats heartbeats, TotalsDelays delays, ObjectMapper json) {
        this.live = live;
        this.delays = delays;
        this.json = json;
        live.changed().subscribe().with(version -> loops.values().forEach(Loop::changed));
        heartbeats.beats().subscribe().with(event -> loops.values().forEach(loop -> loop.beat(event)));
    }

    @Route(path = "/coalition/stream", methods = Route.HttpMethod.GET)
    @Operation(summary = "The totals as they change, live", description = "Server-sent events: first every scope's "
            + "totals newer than Last-Event-ID (all of them on a first connection), then one event named totals (data: "
            + "the scope's TotalsChanged, id: its version) per scope and change (a client that falls behind gets "
            + "only each scope's newest); and every keep-alive interval an event named heartbeat with how fresh the "
            + "totals are. A browser's EventSource reconnects with Last-Event-ID by itself and misses nothing.")
    @APIResponse(responseCode = "200", description = "The event stream; it stays open.", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING, description = "event: totals, id: <version>, data: a TotalsChanged as JSON; or event: heartbeat, "
            + "data: the freshness report as JSON")))
    void stream(
            @Parameter(description = "The id of the last event received: the stream starts after it") @Header("Last-Event-ID") String lastEventId,
            RoutingContext request) {
        HttpServerResponse response = request.response().setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.SERVER_SENT_EVENTS)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        Loop loop = loops.computeIfAbsent(context.nettyEventLoop(), served -> new Loop(context.unwrap()));
        Client client = new Client(response);
        response.closeHandler(closed -> loop.clients.remove(client));
        loop.clients.add(client);
        // A comment first, so that the client has the headers (and its EventSource opens) before any totals exist.
        response.write(": the coalition's totals, live\n\n");
        client.start(seen(lastEventId));
    }

    /** Any other method: 405, as Quarkus REST answers it for the other resources, not the 404 it would give here. */
    @Route(path = "/coalition/stream", methods = { Route.HttpMethod.POST, Route.HttpMethod.PUT,
            Route.HttpMethod.DELETE, Route.HttpMethod.PATCH })
    @Operation(hidden = true)
    void otherMethods(RoutingContext request) throws JsonProcessingException {
        request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET")
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(json.writeValueAsString(Problem.of(Response.Status.METHOD_NOT_ALLOWED, "Method not allowed",
                        "The live stream is read with GET")));
    }

    /** One server-sent event, its data the given value as JSON (which has no line breaks). */
    static byte[] event(String name, String id, ObjectMapper json, Object data) {
        try {
            return ("event: " + name + "\n" + (id == null ? "" : "id: " + id + "\n") + "data: "
                    + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("The stream's events are records of plain values", impossible);
        }
    }

    private static long seen(String lastEventId) {
        try {
            return lastEventId == null ? 0 : Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }

    /**
     * The clients of one event loop. Thousands of clients share a few loops: one task per loop and change, not one
     * per client, spares each client a task's scheduling and dispatch.
     */
    private final class Loop {

        private final Set<Client> clients = ConcurrentHashMap.newKeySet();
        private final Context context;
        private final AtomicBoolean due = new AtomicBoolean();

        Loop(Context context) {
            this.context = context;
        }

        /** Called for every change: however many come before it runs, one push to each client is scheduled. */
        void changed() {
            if (due.compareAndSet(false, true)) {
                context.runOnContext(now -> {
                    due.set(false);
                    clients.forEach(Client::push);
                });
            }
        }

        void beat(byte[] event) {
            Buffer beat = Buffer.buffer(event);
            context.runOnContext(now -> clients.forEach(client -> client.beat(beat)));
        }
    }

    /** A listening connection; what it was sent is touched on its event loop only. */
    private final class Client {

        private final HttpServerResponse response;
        /** The arrival (in {@link LiveTotals}) it has been sent up to. */
        private long sent;

        Client(HttpServerResponse response) {
            this.response = response;
        }

        /** Sends what is newer than the version its Last-Event-ID gave: every scope's totals on a first connection. */
        void start(long lastVersion) {
            send(live.since(lastVersion));
        }

        void push() {
            if (response.closed()) {
                return;
            }
            if (response.writeQueueFull()) {
                response.drainHandler(drained -> push());
                return;
            }
            send(live.newerThan(sent));
        }

        private void send(LiveTotals.Newer newer) {
            sent = newer.upTo();
            if (!newer.isEmpty()) {
                newer.totals().forEach(delays::pushed);
                response.write(newer.events());
            }
        }

        /** A heartbeat is dropped for a client that is behind: the next one will do. */
        void beat(Buffer event) {
            if (!response.closed() && !response.writeQueueFull()) {
                response.write(event);
            }
        }
    }
}
