package org.coalitiontracker.membership.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An event waiting in the outbox (V3__outbox.sql), or already sent: exactly what goes to Kafka. */
@Entity
public class OutboxEvent extends PanacheEntityBase {

    /** Publication order. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID eventId;
    /** The Kafka key: all events of one cluster go to one partition, in order. */
    public UUID clusterId;
    public String type;
    public String dataSchema;
    /** The event's data, as JSON. */
    public String payload;
    public Instant occurredAt;
    /** Null until the broker has acknowledged the event. */
    public Instant sentAt;
    /** The trace of the change (W3C traceparent), which its send continues; null when tracing is off. */
    public String traceParent;
}
