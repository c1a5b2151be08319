package org.coalitiontracker.membership.outbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.contracts.TraceParent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

/**
 * Where a change records the events it makes, inside the change's own transaction, so that an event exists if and
 * only if its change committed. {@link OutboxRelay} takes them to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;
    private final Tracer tracer;

    Outbox(ObjectMapper mapper, Tracer tracer) {
        this.mapper = mapper;
        this.tracer = tracer;
    }

    /**
     * Adds an event of a cluster to the outbox.
     *
     * @param type its CloudEvents type
     * @param schema where its data's JSON Schema is served
     * @param data what goes out as its JSON payload
     */
    public Uni<Void> record(UUID clusterId, String type, String schema, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID();
        event.clusterId = clusterId;
        event.type = type;
        event.dataSchema = schema;
        event.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // A span of its own per event (an import records many in one request), which its send will continue.
        Span recorded = tracer.spanBuilder("outbox record").setAttribute(TraceAttributes.EVENT_ID, event.eventId.toString())
                .setAttribute(TraceAttributes.CLUSTER_ID, clusterId.toString())
                .setAttribute(TraceAttributes.EVENT_TYPE, type).startSpan();
        try (Scope scope = recorded.makeCurrent()) {
            event.traceParent = TraceParent.ofCurrentTrace();
            event.payload = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        } finally {
            recorded.end();
        }
        return event.persist().replaceWithVoid();
    }
}
