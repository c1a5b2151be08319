package org.coalitiontracker.membership.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/**
 * An event waiting in the outbox (V3__outbox.sql): exactly what goes to Kafka.
 *
 * @param id publication order
 * @param clusterId the Kafka key: all events of one cluster go to one partition, in order
 * @param payload the event's data, as JSON
 * @param traceParent the trace of the change (W3C traceparent), which its send continues; null when tracing is off
 */
record OutboxEvent(long id, UUID eventId, UUID clusterId, String type, String dataSchema, String payload,
        OffsetDateTime occurredAt, String traceParent) {

    /** The columns {@link #of(Row)} reads, in its order. */
    static final String COLUMNS = "id, event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent";

    static OutboxEvent of(Row row) {
        return new OutboxEvent(row.getLong(0), row.getUUID(1), row.getUUID(2), row.getString(3), row.getString(4),
                row.getString(5), row.getOffsetDateTime(6), row.getString(7));
    }
}
