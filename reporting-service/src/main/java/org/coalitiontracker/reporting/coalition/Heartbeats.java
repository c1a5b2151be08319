package org.coalitiontracker.reporting.coalition;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The live stream's heartbeats: how fresh the totals are, every {@code REPORTING_STREAM_KEEP_ALIVE} and at once when
 * that changes (turned stale, fresh again, or why). One timer and one JSON for all clients, however many are open.
 */
@ApplicationScoped
class Heartbeats {

    private final BroadcastProcessor<byte[]> beats = BroadcastProcessor.create();
    private final Freshness freshness;
    private final ObjectMapper json;

    Heartbeats(Freshness freshness, ObjectMapper json) {
        this.freshness = freshness;
        this.json = json;
    }

    /** Each heartbeat from now on: a server-sent event with a {@link Freshness.Report}. */
    Multi<byte[]> beats() {
        return beats;
    }

    @Scheduled(every = "${reporting.stream.keep-alive}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void beat() {
        send(freshness.current());
    }

    void changed(@Observes Freshness.Report report) {
        send(report);
    }

    private void send(Freshness.Report report) {
        beats.onNext(CoalitionStream.event("heartbeat", null, json, report));
    }
}
