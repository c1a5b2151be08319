package org.coalitiontracker.membership.outbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.contracts.TraceParent;

import com.fasterxml.jackson.annotation.JsonProperty;
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
     * A change of the roster, made with the events of the clusters it changed as one statement:
     * {@link #change(String)} and {@link #changeOfOne(String, int)} build it once. {@code parameters} is how many the
     * change itself takes; {@code ofOne}, whether it records one event or a list.
     */
    public record Change(String statement, int parameters, boolean ofOne) {
    }

    /**
     * The events, one JSON array, inserted in the order given so that their ids (the publication order) follow it: one
     * statement for the hundreds of events of an import's transaction rather than a round trip each. Cast from text:
     * the driver would send a string bound to a jsonb parameter as one JSON string. Its three holes: what comes
     * before the insert, the events' parameter, and which of the events to insert.
     */
    private static final String INSERT_MANY = """
            %s INSERT INTO outbox_event (event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent)
            SELECT e.event_id, e.cluster_id, e.type, e.data_schema, e.payload, e.occurred_at, e.trace_parent
            FROM ROWS FROM (jsonb_to_recordset(cast(cast(%s AS text) AS jsonb)) AS (event_id uuid, cluster_id uuid, type text,
                    data_schema text, payload text, occurred_at timestamptz, trace_parent text))
                WITH ORDINALITY AS e(event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent, n)
            %s
            ORDER BY e.n""";
    /**
     * One event, its fields as parameters: PostgreSQL spends about half the CPU on it that it spends on the JSON array
     * of one event, and a single join runs it every time. Its holes: what comes before the insert, the number of the
     * event's first parameter, and where the insert reads (nothing, or the changed cluster).
     */
    private static final String INSERT_ONE = """
            %1$s INSERT INTO outbox_event (event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent)
            SELECT cast(?%2$d AS uuid), cast(?%3$d AS uuid), cast(?%4$d AS text), cast(?%5$d AS text),
                    cast(?%6$d AS text), cast(?%7$d AS timestamptz), cast(?%8$d AS text) %9$s""";
    private static final Change RECORD = new Change(insertOne("", 1, ""), 0, true);

    private final ObjectMapper mapper;
    private final Tracer tracer;

    Outbox(ObjectMapper mapper, Tracer tracer) {
        this.mapper = mapper;
        this.tracer = tracer;
    }

    /** Adds an event of a cluster to the outbox, in the caller's transaction. */
    public Uni<Void> record(Entry entry) {
        return recordWith(RECORD, List.of(), List.of(entry)).replaceWithVoid();
    }

    /**
     * The statement that makes a change of many clusters and records the events of those it changed: {@code change}
     * is a data-modifying SQL statement with one parameter, {@code ?1} (the clusters as a JSON array), that returns
     * the column {@code cluster_id} of each cluster it changed.
     */
    public static Change change(String change) {
        return new Change(String.format(INSERT_MANY, "WITH changed AS (" + change + ")", "?2",
                "WHERE e.cluster_id IN (SELECT cluster_id FROM changed)"), 1, false);
    }

    /**
     * As {@link #change(String)}, for a change of one cluster given as the parameters {@code ?1} to
     * {@code ?parameters}: its event is recorded if the change returns a row.
     */
    public static Change changeOfOne(String change, int parameters) {
        return new Change(insertOne("WITH changed AS (" + change + ")", parameters + 1, "FROM changed"), parameters,
                true);
    }

    private static String insertOne(String before, int first, String from) {
        return String.format(INSERT_ONE, before, first, first + 1, first + 2, first + 3, first + 4, first + 5,
                first + 6, from);
    }

    /**
     * Makes a change with its parameters and records the events of the clusters it changed, in the order given, as
     * one statement: atomic by itself, so it needs no transaction, and one round trip. Answers how many events it
     * recorded; those of the clusters the change did not change are not.
     */
    public Uni<Integer> recordWith(Change change, List<?> parameters, List<Entry> entries) {
        if (parameters.size() != change.parameters() || change.ofOne() && entries.size() != 1) {
            throw new IllegalArgumentException("The change takes " + change.parameters() + " parameters and "
                    + (change.ofOne() ? "one event" : "a list of events"));
        }
        return insert(change, parameters, entries);
    }

    /**
     * Runs the statement with the change's parameters and then the events'; answers how many it recorded. The
     * events' spans end once all are stored. Of a change that recorded fewer, which only a simultaneous change of the
     * same cluster makes, none is ended (so exported): it is not known which of them were stored.
     * <p>
     * An update, not a query with RETURNING: Hibernate (ORM 7.2) caches a native query's interpretation under a key
     * holding its result mapping, which equals no other, so every run of a native query added an entry to its cache,
     * and each lookup walked up to 2,048 of them (27 % of membership-service's CPU under joins).
     */
    private Uni<Integer> insert(Change change, List<?> parameters, List<Entry> entries) {
        Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Span> spans = new ArrayList<>(entries.size());
        List<Object> values = new ArrayList<>(parameters);
        try {
            List<EventRow> rows = new ArrayList<>(entries.size());
            for (Entry entry : entries) {
                rows.add(row(entry, occurredAt, spans));
            }
            if (change.ofOne()) {
                values.addAll(rows.get(0).values());
            } else {
                values.add(mapper.writeValueAsString(rows));
            }
            return Panache.getSession().chain(session -> {
                var update = session.createNativeQuery(change.statement());
                for (int i = 0; i < values.size(); i++) {
                    update.setParameter(i + 1, values.get(i));
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

    /** An event as the outbox stores it: its fields in the order of the insert's columns, named as them in JSON. */
    private record EventRow(@JsonProperty("event_id") UUID eventId, @JsonProperty("cluster_id") UUID clusterId,
            String type, @JsonProperty("data_schema") String dataSchema, String payload,
            @JsonProperty("occurred_at") Instant occurredAt, @JsonProperty("trace_parent") String traceParent) {

        List<Object> values() {
            return Arrays.asList(eventId, clusterId, type, dataSchema, payload, occurredAt, traceParent);
        }
    }

    /**
     * The event's row, with a span of its own (an import records many in one request), which its send continues; the
     * span stays open until the row is stored.
     */
    private EventRow row(Entry entry, Instant occurredAt, List<Span> spans) throws JsonProcessingException {
        UUID eventId = UUID.randomUUID();
        Span recorded = tracer.spanBuilder("outbox record").setAttribute(TraceAttributes.EVENT_ID, eventId.toString())
                .setAttribute(TraceAttributes.CLUSTER_ID, entry.clusterId().toString())
                .setAttribute(TraceAttributes.EVENT_TYPE, entry.type()).startSpan();
        spans.add(recorded);
        try (Scope scope = recorded.makeCurrent()) {
            return new EventRow(eventId, entry.clusterId(), entry.type(), entry.schema(),
                    mapper.writeValueAsString(entry.data()), occurredAt, TraceParent.ofCurrentTrace());
        }
    }
}
