package org.coalitiontracker.membership.outbox;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.EventLogContext;
import org.coalitiontracker.contracts.TraceParent;
import org.coalitiontracker.membership.MembershipSettings;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes the outbox to {@code cluster-events}: a batch of pending events at a time, sent together in id order
 * (the idempotent producer, acks=all, keeps that order within each partition, so per cluster), then those the broker
 * acknowledged are marked sent in one statement. A send that fails ends the round: that event stays pending and is
 * retried, so every committed change reaches Kafka at least once. Should a retried event land after a newer one of
 * its cluster, consumers keep the newest version. A crash between the broker's ack and the commit of sent_at resends
 * an event with the same {@code ce_id}; consumers skip it.
 * <p>
 * Sending one event at a time, each waiting for its ack (and the producer's linger), kept the relay near 150 events
 * a second, behind a steady stream of joins (benchmarks/join-throughput.sh).
 * <p>
 * A round runs after a join, and at least every {@code membership.outbox.poll-interval}. Rounds after joins start at
 * most once per {@code membership.outbox.linger}: a join after a quiet spell goes out at once, and under a steady
 * stream of joins each round takes those committed since the last one. A PostgreSQL advisory lock lets only one round run at a
 * time, across
 * all instances of the service.
 * <p>
 * The relay speaks to PostgreSQL through the reactive client, not Hibernate: a round is a transaction of three plain
 * statements (the lock, the pending events, marking them sent), and up to a hundred rounds a second run beside the
 * joins on the same event loops. Through Hibernate Reactive (a
 * session, the query translation, the loaded events' flush), a round cost more CPU than a join: with the sends to
 * Kafka left out, the relay's rounds took membership-service's CPU per join at concurrency 1 from 0.43 to 0.71 ms,
 * and its p99 from 1.21 to 1.70 times the fair peer's (benchmarks/join-throughput.sh).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Any number, the same in every instance: the advisory lock that serializes relay rounds. */
    private static final long RELAY_LOCK = 0x636c7573746572L;
    private static final URI SOURCE = URI.create("urn:coalition-tracker:membership-service");
    /** The event bus address of a round asked for by a nudge. */
    private static final String ROUND = "outbox-round";
    /**
     * Has the rest of the transaction read pending events through their partial index, in its order. Each event marked
     * sent leaves a dead entry there until a vacuum. An index scan marks the entries it finds dead, so that later scans
     * skip them. A bitmap scan, which PostgreSQL picks for the table when nothing has analyzed it (as where autovacuum
     * is off), reads every one of them again each time: 7.6 ms a relay round after 32,000 joins.
     */
    private static final String IN_INDEX_ORDER = "set_config('enable_bitmapscan', 'off', true)";
    private static final String READ_PENDING_IN_INDEX_ORDER = "SELECT " + IN_INDEX_ORDER;
    /** Takes the transaction's advisory lock if it is free, reading in index order: a round's first round trip. */
    private static final String LOCK_READING_PENDING_IN_INDEX_ORDER = "SELECT pg_try_advisory_xact_lock($1), "
            + IN_INDEX_ORDER;
    private static final String PENDING = "SELECT " + OutboxEvent.COLUMNS
            + " FROM outbox_event WHERE sent_at IS NULL ORDER BY id LIMIT $1";
    private static final String MARK_SENT = "UPDATE outbox_event SET sent_at = clock_timestamp() WHERE id = ANY($1)";
    private static final String BACKLOG = "SELECT count(*), min(occurred_at) FROM outbox_event WHERE sent_at IS NULL";

    private final MutinyEmitter<String> emitter;
    private final Pool database;
    private final EventBus bus;
    private final Vertx vertx;
    private final long lingerNanos;
    /** When the last round after a join started, by System.nanoTime(). */
    private volatile long lastRoundStarted;
    private final int batch;
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private final AtomicBoolean roundWanted = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();

    // Unbounded: a round sends at most one batch before it waits for the acks, so that bounds what is buffered.
    OutboxRelay(@Channel("cluster-events") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<String> emitter,
            Pool database, EventBus bus, Vertx vertx, MembershipSettings settings, MeterRegistry registry) {
        this.database = database;
        this.batch = settings.outbox().batch();
        this.lingerNanos = settings.outbox().linger().toNanos();
        this.lastRoundStarted = System.nanoTime() - lingerNanos;
        this.vertx = vertx;
        this.emitter = emitter;
        this.bus = bus;
        Gauge.builder("outbox.pending", pending, AtomicLong::get)
                .description("Events committed but not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("outbox.oldest.pending.age", oldestPendingMillis,
                oldest -> oldest.get() == 0 ? 0 : (System.currentTimeMillis() - oldest.get()) / 1000.0)
                .description("Age in seconds of the oldest event not yet acknowledged by Kafka")
                .baseUnit("seconds")
                .register(registry);
    }

    @Scheduled(every = "${membership.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        return publishPending();
    }

    /**
     * Asks for a round, without waiting for it: called once a change has committed. It starts at once, or when the
     * linger since the last round's start is up. Nudges that come while a round waits or runs in this instance do not
     * open transactions of their own; the round takes their events, or goes once more.
     */
    public void nudge() {
        roundWanted.set(true);
        if (!roundRunning.compareAndSet(false, true)) {
            return;
        }
        // A round of its own on the event bus: a Vert.x context of its own, not the caller's request's, whose trace and
        // local data belong to that one join and not to the round's events.
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(lastRoundStarted + lingerNanos - System.nanoTime());
        if (waitMillis < 1) {
            bus.send(ROUND, "nudge");
        } else {
            vertx.setTimer(waitMillis, timer -> bus.send(ROUND, "nudge"));
        }
    }

    @ConsumeEvent(ROUND)
    Uni<Void> round(String nudge) {
        lastRoundStarted = System.nanoTime();
        roundWanted.set(false);
        return publishPending()
                .onFailure().invoke(failure -> LOG.warnf("Outbox round failed, the next one retries: %s",
                        failure.toString()))
                .onFailure().recoverWithNull()
                .eventually(this::roundDone);
    }

    private void roundDone() {
        roundRunning.set(false);
        if (roundWanted.get()) {
            nudge();
        }
    }

    /** Publishes pending events until none is left or a send fails. */
    Uni<Void> publishPending() {
        return publishBatch().chain(morePending -> morePending ? publishPending() : Uni.createFrom().voidItem());
    }

    /** Publishes a batch; answers whether more may be pending: the batch was full and every event of it went out. */
    Uni<Boolean> publishBatch() {
        return database.withTransaction(connection -> connection.preparedQuery(LOCK_READING_PENDING_IN_INDEX_ORDER)
                .execute(Tuple.of(RELAY_LOCK))
                .chain(locked -> !locked.iterator().next().getBoolean(0) ? Uni.createFrom().item(false)
                        : connection.preparedQuery(PENDING).execute(Tuple.of(batch))
                                .map(rows -> rows.stream().map(OutboxEvent::of).toList())
                                .chain(events -> sendTogether(connection, events)
                                        .map(allSent -> allSent && events.size() == batch))));
    }

    /**
     * Sends the events in order without waiting between them, then marks sent those acknowledged. Answers whether all
     * of them were: if not, the round ends.
     */
    private Uni<Boolean> sendTogether(SqlConnection connection, List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        // Uni.join subscribes in list order, and a send starts when subscribed: the events go out in id order.
        List<Uni<Boolean>> acks = events.stream().map(event -> emitter.sendMessage(message(event)).replaceWith(true)
                .onFailure().recoverWithItem(failure -> {
                    try (EventLogContext about = EventLogContext.of(event.eventId().toString(),
                            event.clusterId().toString(), event.traceParent())) {
                        LOG.warnf("Kafka did not take event %s (%s); it stays pending", event.eventId(),
                                failure.toString());
                    }
                    return false;
                })).toList();
        return Uni.join().all(acks).andFailFast().chain(acked -> {
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                if (acked.get(i)) {
                    sent.add(events.get(i).id());
                }
            }
            Uni<?> marked = sent.isEmpty() ? Uni.createFrom().voidItem()
                    : connection.preparedQuery(MARK_SENT).execute(Tuple.of(sent.toArray(Long[]::new)));
            return marked.replaceWith(sent.size() == events.size());
        });
    }

    /** Reads the backlog for the gauges; apart from the relay, so that a round stuck on a down broker shows. */
    @Scheduled(every = "${membership.outbox.metrics-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measureBacklog() {
        return database.withTransaction(connection -> connection.query(READ_PENDING_IN_INDEX_ORDER).execute()
                .chain(() -> connection.query(BACKLOG).execute()))
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    OffsetDateTime oldest = row.getOffsetDateTime(1);
                    pending.set(row.getLong(0));
                    oldestPendingMillis.set(oldest == null ? 0 : oldest.toInstant().toEpochMilli());
                })
                .replaceWithVoid();
    }

    /** The event as a record of cluster-events; its send continues the change's trace, when there was one. */
    private static Message<String> message(OutboxEvent event) {
        Message<String> message = event.traceParent() == null ? Message.of(event.payload())
                : Message.of(event.payload())
                        .addMetadata(TracingMetadata.withCurrent(TraceParent.context(event.traceParent())));
        return message
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId().toString())
                        .withSource(SOURCE)
                        .withType(event.type())
                        .withSubject(event.clusterId().toString())
                        .withDataSchema(URI.create(event.dataSchema()))
                        .withDataContentType("application/json")
                        .withTimestamp(event.occurredAt().atZoneSameInstant(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.clusterId().toString()).build());
    }
}
