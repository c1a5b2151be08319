package org.coalitiontracker.membership.outbox;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
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
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

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
 * A round runs after a join, and at least every {@code membership.outbox.poll-interval}. Rounds start at most once per
 * {@code membership.outbox.linger}: a join after a quiet spell goes out at once, and under a steady stream of joins
 * each round takes those committed since the last one. A PostgreSQL advisory lock lets only one round run at a time,
 * across all instances of the service.
 * <p>
 * The relay runs on a thread of its own and speaks to PostgreSQL through JDBC (the pool Flyway uses, on the server
 * itself), not on the event loops that serve the joins: a round is a transaction of three plain statements (the lock,
 * the pending events, marking them sent) and a wait for Kafka's acks, up to a hundred times a second. On an event
 * loop, a join that came in behind a round waited for it: with the relay switched off, the p99 of joins at
 * concurrency 1 was 1.21 times the fair peer's; with it, 1.25-1.55 (benchmarks/join-throughput.sh). Through
 * Hibernate Reactive (a session, the query translation, the loaded events' flush), a round had cost more CPU than a
 * join.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Any number, the same in every instance: the advisory lock that serializes relay rounds. */
    private static final long RELAY_LOCK = 0x636c7573746572L;
    private static final URI SOURCE = URI.create("urn:coalition-tracker:membership-service");
    /**
     * Has the rest of the transaction read pending events through their partial index, in its order. Each event marked
     * sent leaves a dead entry there until a vacuum. An index scan marks the entries it finds dead, so that later scans
     * skip them. A bitmap scan, which PostgreSQL picks for the table when nothing has analyzed it (as where autovacuum
     * is off), reads every one of them again each time: 7.6 ms a relay round after 32,000 joins.
     */
    private static final String IN_INDEX_ORDER = "set_config('enable_bitmapscan', 'off', true)";
    private static final String READ_PENDING_IN_INDEX_ORDER = "SELECT " + IN_INDEX_ORDER;
    /** Takes the transaction's advisory lock if it is free, reading in index order: a round's first round trip. */
    private static final String LOCK_READING_PENDING_IN_INDEX_ORDER = "SELECT pg_try_advisory_xact_lock(?), "
            + IN_INDEX_ORDER;
    private static final String PENDING = "SELECT " + OutboxEvent.COLUMNS
            + " FROM outbox_event WHERE sent_at IS NULL ORDER BY id LIMIT ?";
    private static final String MARK_SENT = "UPDATE outbox_event SET sent_at = clock_timestamp() WHERE id = ANY(?)";
    private static final String BACKLOG = "SELECT count(*), min(occurred_at) FROM outbox_event WHERE sent_at IS NULL";

    private final MutinyEmitter<String> emitter;
    private final KafkaClientService kafka;
    private final DataSource outbox;
    private final Pool database;
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(round -> {
        Thread thread = new Thread(round, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final long lingerNanos;
    /** When the last round started, by System.nanoTime(). */
    private volatile long lastRoundStarted;
    private final int batch;
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private final AtomicBoolean roundWanted = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();

    // Unbounded: a round sends at most one batch before it waits for the acks, so that bounds what is buffered.
    OutboxRelay(@Channel("cluster-events") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<String> emitter,
            KafkaClientService kafka, DataSource outbox, Pool database, MembershipSettings settings,
            MeterRegistry registry) {
        this.kafka = kafka;
        this.outbox = outbox;
        this.database = database;
        this.batch = settings.outbox().batch();
        this.lingerNanos = settings.outbox().linger().toNanos();
        this.lastRoundStarted = System.nanoTime() - lingerNanos;
        this.emitter = emitter;
        Gauge.builder("outbox.pending", pending, AtomicLong::get)
                .description("Events committed but not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("outbox.oldest.pending.age", oldestPendingMillis,
                oldest -> oldest.get() == 0 ? 0 : (System.currentTimeMillis() - oldest.get()) / 1000.0)
                .description("Age in seconds of the oldest event not yet acknowledged by Kafka")
                .baseUnit("seconds")
                .register(registry);
    }

    @Scheduled(every = "${membership.outbox.poll-interval:1s}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        nudge();
    }

    /**
     * Asks for a round, without waiting for it: called once a change has committed. It starts at once, or when the
     * linger since the last round's start is up. Nudges that come while a round waits or runs in this instance do not
     * start one of their own; the round takes their events, or goes once more.
     */
    public void nudge() {
        roundWanted.set(true);
        if (!roundRunning.compareAndSet(false, true)) {
            return;
        }
        long wait = lastRoundStarted + lingerNanos - System.nanoTime();
        try {
            rounds.schedule(this::round, Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // A change that commits while the service stops: its event waits in the outbox for the next start.
            roundRunning.set(false);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        rounds.shutdown();
        rounds.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void round() {
        lastRoundStarted = System.nanoTime();
        roundWanted.set(false);
        try {
            while (publishBatch()) {
                // Until none is left or a send fails.
            }
        } catch (SQLException | RuntimeException failure) {
            LOG.warnf("Outbox round failed, the next one retries: %s", failure.toString());
        } finally {
            roundRunning.set(false);
            if (roundWanted.get()) {
                nudge();
            }
        }
    }

    /** Publishes a batch; answers whether more may be pending: the batch was full and every event of it went out. */
    private boolean publishBatch() throws SQLException {
        try (Connection connection = outbox.getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean more = publishBatch(connection);
                connection.commit();
                return more;
            } catch (SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            }
        }
    }

    private boolean publishBatch(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_READING_PENDING_IN_INDEX_ORDER)) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet locked = lock.executeQuery()) {
                if (!locked.next() || !locked.getBoolean(1)) {
                    return false;
                }
            }
        }
        List<OutboxEvent> events = new ArrayList<>();
        try (PreparedStatement read = connection.prepareStatement(PENDING)) {
            read.setInt(1, batch);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    events.add(OutboxEvent.of(rows));
                }
            }
        }
        List<Long> sent = sendTogether(events);
        if (!sent.isEmpty()) {
            try (PreparedStatement mark = connection.prepareStatement(MARK_SENT)) {
                mark.setArray(1, connection.createArrayOf("bigint", sent.toArray()));
                mark.executeUpdate();
            }
        }
        return sent.size() == events.size() && events.size() == batch;
    }

    /**
     * Sends the events in order without waiting between them, then waits for the broker's acks (the producer's
     * delivery timeout bounds that). Answers the ids of those acknowledged.
     */
    private List<Long> sendTogether(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return List.of();
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
        List<Uni<Boolean>> sendsThenFlush = new ArrayList<>(acks);
        sendsThenFlush.add(flush());
        List<Boolean> acked = Uni.join().all(sendsThenFlush).andFailFast().await().indefinitely();
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (acked.get(i)) {
                sent.add(events.get(i).id());
            }
        }
        return sent;
    }

    /**
     * Has the producer send what it holds, once the round's events are handed to it (Uni.join subscribes it last): a
     * round sends everything it has at once, and waiting for the producer's linger (5 ms) for more only delayed each
     * join by that much; not lingering at all (linger.ms=0) cut the import's rate by 6 %. A flush that fails leaves
     * the events to the linger: their acks say what went out.
     */
    private Uni<Boolean> flush() {
        return Uni.createFrom().deferred(() -> kafka.getProducer("cluster-events").flush()).replaceWith(true)
                .onFailure().recoverWithItem(true);
    }

    /**
     * Reads the backlog for the gauges; apart from the relay, so that a round stuck on a down broker shows. With the
     * database away the gauges keep the last count read, and the oldest event's age still grows.
     */
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
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("The outbox backlog could not be read, the next reading retries: %s", failure.toString());
                    return null;
                });
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
