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
     * A change of the roster, made with the events of the clusters it changed as one statement: {@link #change(String)}
     * builds it once.
     */
    public record Change(String statement) {
    }

    /**
     * The events, one JSON array, inserted in the order given so that their ids (the publication order) follow it: one
     * statement for the hundreds of events of an import's transaction rather than a round trip each. Cast from text:
     * the driver would send a string bound to a jsonb parameter as one JSON string. Its three holes: what comes
     * before the insert, the events' parameter, and which of the events to insert.
     */
    private static final String INSERT = """
            %s INSERT INTO outbox_event (event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent)
            SELECT e.event_id, e.cluster_id, e.type, e.data_schema, e.payload, e.occurred_at, e.trace_parent
            FROM ROWS FROM (jsonb_to_recordset(cast(cast(%s AS text) AS jsonb)) AS (event_id uuid, cluster_id uuid, type text,
                    data_schema text, payload text, occurred_at timestamptz, trace_parent text))
                WITH ORDINALITY AS e(event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent, n)
            %s
            ORDER BY e.n""";
    private static final String RECORD = String.format(INSERT, "", "?1", "");

    private final ObjectMapper mapper;
    private final Tracer tracer;

    Outbox(ObjectMapper mapper, Tracer tracer) {
        this.mapper = mapper;
        this.tracer = tracer;
    }

    /** Adds an event of a cluster to the outbox, in the caller's transaction. */
    public Uni<Void> record(Entry entry) {
        return insert(RECORD, null, List.of(entry)).replaceWithVoid();
    }

    /**
     * The statement that makes a change and records the events of the clusters it changed: {@code change} is a
     * data-modifying SQL statement with one parameter, {@code ?1}, that returns the column {@code cluster_id} of each
     * cluster it changed.
     */
    public static Change change(String change) {
        return new Change(String.format(INSERT, "WITH changed AS (" + change + ")", "?2",
                "WHERE e.cluster_id IN (SELECT cluster_id FROM changed)"));
    }

    /**
     * Makes a change with its parameter and records the events of the clusters it changed, in the order given, as one
     * statement: atomic by itself, so it needs no transaction, and one round trip. Answers how many events it
     * recorded; those of the clusters the change did not change are not.
     */
    public Uni<Integer> recordWith(Change change, Object parameter, List<Entry> entries) {
        return insert(change.statement(), parameter, entries);
    }

    /**
     * Runs the statement with the change's parameter (if any) and then the events'; answers how many it recorded. The
     * events' spans end once all are stored. Of a change that recorded fewer, which only a simultaneous change of the
     * same cluster makes, none is ended (so exported): it is not known which of them were stored.
     * <p>
     * An update, not a query with RETURNING: Hibernate (ORM 7.2) caches a native query's interpretation under a key
     * holding its result mapping, which equals no other, so every run of a native query added an entry to its cache,
     * and each lookup walked up to 2,048 of them (27 % of membership-service's CPU under joins).
     */
    private Uni<Integer> insert(String statement, Object changeParameter, List<Entry> entries) {
        Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Span> spans = new ArrayList<>(entries.size());
        List<Map<String, Object>> rows = new ArrayList<>(entries.size());
        try {
            for (Entry entry : entries) {
                rows.add(row(entry, occurredAt, spans));
            }
            String events = mapper.writeValueAsString(rows);
            return Panache.getSession().chain(session -> {
                var update = session.createNativeQuery(statement);
                if (changeParameter != null) {
                    update.setParameter(1, changeParameter).setParameter(2, events);
                } else {
                    update.setParameter(1, events);
                }
                return update.executeUpdate();
            }).invoke(recorded -> {
                if (recorded == entries.size()) {
                    spans.forEach(Span::end);
                }
            });
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * The event's row, with a span of its own (an import records many in one request), which its send continues; the
     * span stays open until the row is stored.
     */
    private Map<String, Object> row(Entry entry, Instant occurredAt, List<Span> spans) throws JsonProcessingException {
        UUID eventId = UUID.randomUUID();
        Span recorded = tracer.spanBuilder("outbox record").setAttribute(TraceAttributes.EVENT_ID, eventId.toString())
                .setAttribute(TraceAttributes.CLUSTER_ID, entry.clusterId().toString())
                .setAttribute(TraceAttributes.EVENT_TYPE, entry.type()).startSpan();
        spans.add(recorded);
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
        }
    }
}
