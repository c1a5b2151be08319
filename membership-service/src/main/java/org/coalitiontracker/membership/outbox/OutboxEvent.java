package org.coalitiontracker.membership.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

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

    /**
     * Has the rest of the current transaction read pending events through their partial index, in its order. Each
     * event marked sent leaves a dead entry there until a vacuum. An index scan marks the entries it finds dead, so
     * that later scans skip them. A bitmap scan, which PostgreSQL picks for the table when nothing has analyzed it
     * (as where autovacuum is off), reads every one of them again each time: 7.6 ms a relay round after 32,000 joins.
     * A function in a query rather than SET LOCAL, so that the relay's round sets it with its lock.
     */
    private static final String IN_INDEX_ORDER = "function('set_config', 'enable_bitmapscan', 'off', true)";

    /** See {@link #IN_INDEX_ORDER}. */
    static Uni<Void> readPendingInIndexOrder() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery("select " + IN_INDEX_ORDER, String.class)
                        .getSingleResult())
                .replaceWithVoid();
    }

    /**
     * Takes a transaction's advisory lock if it is free, and reads pending events as {@link #readPendingInIndexOrder()}
     * does, in one round trip, the first of a relay round's five. Answers whether it took the lock.
     */
    static Uni<Boolean> lockReadingPendingInIndexOrder(long lock) {
        // A query of HQL, not native SQL, as the outbox's insert explains: PostgreSQL's functions by their names.
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                        "select function('pg_try_advisory_xact_lock', ?1), " + IN_INDEX_ORDER, Object[].class)
                        .setParameter(1, lock).getSingleResult())
                .map(row -> Boolean.TRUE.equals(row[0]));
    }
}
