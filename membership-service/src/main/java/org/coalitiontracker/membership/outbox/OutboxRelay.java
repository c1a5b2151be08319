package org.coalitiontracker.membership.outbox;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.EventBus;

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
 * A round runs {@code membership.outbox.linger} after a join (the joins committed meanwhile go with it) and at least
 * every {@code membership.outbox.poll-interval}. A PostgreSQL advisory lock lets only one round run at a time, across
 * all instances of the service.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Any number, the same in every instance: the advisory lock that serializes relay rounds. */
    private static final long RELAY_LOCK = 0x636c7573746572L;
    private static final URI SOURCE = URI.create("urn:coalition-tracker:membership-service");
    /** The event bus address of a round asked for by a nudge. */
    private static final String ROUND = "outbox-round";

    private final MutinyEmitter<String> emitter;
    private final EventBus bus;
    private final Vertx vertx;
    private final long lingerMillis;
    private final int batch;
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private final AtomicBoolean roundWanted = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();

    // Unbounded: a round sends at most one batch before it waits for the acks, so that bounds what is buffered.
    OutboxRelay(@Channel("cluster-events") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<String> emitter,
            EventBus bus, Vertx vertx, MembershipSettings settings, MeterRegistry registry) {
        this.batch = settings.outbox().batch();
        this.lingerMillis = Math.max(1, settings.outbox().linger().toMillis());
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
     * Asks for a round after the linger, without waiting for it: called once a change has committed. Nudges that come
     * while a round lingers or runs in this instance do not open transactions of their own; the round takes their
     * events, or goes once more.
     */
    public void nudge() {
        roundWanted.set(true);
        if (!roundRunning.compareAndSet(false, true)) {
            return;
        }
        // A round of its own on the event bus: it gets a Vert.x context of its own, which Hibernate Reactive needs and
        // the caller's request may no longer have.
        vertx.setTimer(lingerMillis, timer -> bus.send(ROUND, "nudge"));
    }

    @ConsumeEvent(ROUND)
    Uni<Void> round(String nudge) {
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
    @WithTransaction
    Uni<Boolean> publishBatch() {
        return OutboxEvent.lockReadingPendingInIndexOrder(RELAY_LOCK)
                .chain(locked -> !locked ? Uni.createFrom().item(false)
                        : OutboxEvent.<OutboxEvent> find("sentAt is null order by id").page(0, batch).list()
                                .chain(events -> sendTogether(events)
                                        .map(allSent -> allSent && events.size() == batch)));
    }

    /**
     * Sends the events in order without waiting between them, then marks sent those acknowledged. Answers whether all
     * of them were: if not, the round ends.
     */
    private Uni<Boolean> sendTogether(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        // Uni.join subscribes in list order, and a send starts when subscribed: the events go out in id order.
        List<Uni<Boolean>> acks = events.stream().map(event -> emitter.sendMessage(message(event)).replaceWith(true)
                .onFailure().recoverWithItem(failure -> {
                    try (EventLogContext about = EventLogContext.of(event.eventId.toString(),
                            event.clusterId.toString(), event.traceParent)) {
                        LOG.warnf("Kafka did not take event %s (%s); it stays pending", event.eventId,
                                failure.toString());
                    }
                    return false;
                })).toList();
        return Uni.join().all(acks).andFailFast().chain(acked -> {
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                if (acked.get(i)) {
                    sent.add(events.get(i).id);
                }
            }
            Uni<Integer> marked = sent.isEmpty() ? Uni.createFrom().item(0)
                    : OutboxEvent.update("sentAt = ?1 where id in ?2", Instant.now(), sent);
            return marked.replaceWith(sent.size() == events.size());
        });
    }

    /** Reads the backlog for the gauges; apart from the relay, so that a round stuck on a down broker shows. */
    @Scheduled(every = "${membership.outbox.metrics-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @WithTransaction
    Uni<Void> measureBacklog() {
        return OutboxEvent.readPendingInIndexOrder().chain(Panache::getSession)
                .chain(session -> session.createSelectionQuery(
                        "select count(e), min(e.occurredAt) from OutboxEvent e where e.sentAt is null", Object[].class)
                        .getSingleResult())
                .invoke(row -> {
                    pending.set((Long) row[0]);
                    oldestPendingMillis.set(row[1] == null ? 0 : ((Instant) row[1]).toEpochMilli());
                })
                .replaceWithVoid();
    }

    /** The event as a record of cluster-events; its send continues the change's trace, when there was one. */
    private static Message<String> message(OutboxEvent event) {
        Message<String> message = event.traceParent == null ? Message.of(event.payload)
                : Message.of(event.payload).addMetadata(TracingMetadata.withCurrent(TraceParent.context(event.traceParent)));
        return message
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId.toString())
                        .withSource(SOURCE)
                        .withType(event.type)
                        .withSubject(event.clusterId.toString())
                        .withDataSchema(URI.create(event.dataSchema))
                        .withDataContentType("application/json")
                        .withTimestamp(event.occurredAt.atZone(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.clusterId.toString()).build());
    }
}
