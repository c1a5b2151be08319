package org.coalitiontracker.membership.outbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.contracts.TraceParent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Where a change records the events it makes, inside the change's own transaction, so that an event exists if and
 * only if its change committed. {@link OutboxRelay} takes them to Kafka.
 */
@ApplicationScoped
public class Outbox {

    /** An event to record: its CloudEvents type, where its data's JSON Schema is served, and its data. */
    public record Entry(UUID clusterId, String type, String schema, Object data) {
    }

    /**
     * The events, one JSON array, inserted in the order given so that their ids (the publication order) follow it: one
     * statement for the hundreds of events of an import's transaction rather than a round trip each. Cast from text:
     * the driver would send a string bound to a jsonb parameter as one JSON string.
     */
    private static final String INSERT = """
            INSERT INTO outbox_event (event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent)
            SELECT e.event_id, e.cluster_id, e.type, e.data_schema, e.payload, e.occurred_at, e.trace_parent
            FROM ROWS FROM (jsonb_to_recordset(cast(cast(?1 AS text) AS jsonb)) AS (event_id uuid, cluster_id uuid, type text,
                    data_schema text, payload text, occurred_at timestamptz, trace_parent text))
                WITH ORDINALITY AS e(event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent, n)
            ORDER BY e.n""";

    private final ObjectMapper mapper;
    private final Tracer tracer;

    Outbox(ObjectMapper mapper, Tracer tracer) {
        this.mapper = mapper;
        this.tracer = tracer;
    }

    /** Adds an event of a cluster to the outbox. */
    public Uni<Void> record(Entry entry) {
        return recordAll(List.of(entry));
    }

    /** Adds events to the outbox, to be published in the order given. */
    public Uni<Void> recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Map<String, Object>> rows = new ArrayList<>(entries.size());
        try {
            for (Entry entry : entries) {
                rows.add(row(entry, occurredAt));
            }
            String statement = mapper.writeValueAsString(rows);
            return Panache.getSession()
                    .chain(session -> session.createNativeQuery(INSERT).setParameter(1, statement).executeUpdate())
                    .replaceWithVoid();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** The event's row: a span of its own per event (an import records many in one request), which its send continues. */
    private Map<String, Object> row(Entry entry, Instant occurredAt) throws JsonProcessingException {
        UUID eventId = UUID.randomUUID();
        Span recorded = tracer.spanBuilder("outbox record").setAttribute(TraceAttributes.EVENT_ID, eventId.toString())
                .setAttribute(TraceAttributes.CLUSTER_ID, entry.clusterId().toString())
                .setAttribute(TraceAttributes.EVENT_TYPE, entry.type()).startSpan();
        try (Scope scope = recorded.makeCurrent()) {
            Map<String, Object> row = new HashMap<>();
            row.put("event_id", eventId);
            row.put("cluster_id", entry.clusterId());
            row.put("type", entry.type());
            row.put("data_schema", entry.schema());
            row.put("payload", mapper.writeValueAsString(entry.data()));
            row.put("occurred_at", occurredAt.toString());
            row.put("trace_parent", TraceParent.ofCurrentTrace());
            return row;
        } finally {
            recorded.end();
        }
    }
}
