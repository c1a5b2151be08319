package org.coalitiontracker.membership.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

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

    /** The columns {@link #of(ResultSet)} reads, in its order. */
    static final String COLUMNS = "id, event_id, cluster_id, type, data_schema, payload, occurred_at, trace_parent";

    static OutboxEvent of(ResultSet row) throws SQLException {
        return new OutboxEvent(row.getLong(1), row.getObject(2, UUID.class), row.getObject(3, UUID.class),
                row.getString(4), row.getString(5), row.getString(6), row.getObject(7, OffsetDateTime.class),
                row.getString(8));
    }
}
