package org.coalitiontracker.metrics.totals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.coalitiontracker.contracts.ClusterEvent;
import org.coalitiontracker.contracts.ClusterEventReading;
import org.coalitiontracker.contracts.RecordFailures;
import org.coalitiontracker.metrics.MetricsSettings;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Keeps the coalition's running totals: applies the records of {@code cluster-events} in batches, each in one
 * database transaction with the partitions' new positions, then publishes the new totals of every scope the batch
 * changed on {@code coalition-totals}.
 */
@ApplicationScoped
public class Tally {

    private static final Logger LOG = Logger.getLogger(Tally.class);

    private final TallyStore store;
    private final TotalsPublisher publisher;
    private final DeadLetters deadLetters;
    private final TallyProgress progress;
    private final AppliedDelay delay;
    private final BatchTraces traces;
    private final MetricsSettings.Retry retry;
    private final Counter applied;
    private final Counter duplicates;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    Tally(TallyStore store, TotalsPublisher publisher, DeadLetters deadLetters, TallyProgress progress,
            AppliedDelay delay, BatchTraces traces, MetricsSettings settings, MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.progress = progress;
        this.delay = delay;
        this.traces = traces;
        this.retry = settings.retry();
        this.applied = Counter.builder("cluster.events.applied")
                .description("Events of cluster-events that changed a cluster's contribution").register(registry);
        this.duplicates = Counter.builder("cluster.events.duplicates")
                .description("Events skipped as already applied: redelivered, replayed or older than the cluster's")
                .register(registry);
        this.batchSize = DistributionSummary.builder("cluster.events.batch.size")
                .description("Records per batch of cluster-events").register(registry);
        this.batchDuration = Timer.builder("cluster.events.batch.duration")
                .description("Time to apply and publish one batch of cluster-events").register(registry);
    }

    /**
     * Applies one batch. A record that can never be applied (not JSON, an unknown type, a missing field or one outside
     * the contract's bounds, a key that is not its cluster) goes to the dead-letter topic, alone, and the stream goes
     * on. A failure that can succeed later (the database is down, say) is retried with back-off until it does: the
     * partitions wait rather than skip or lose an event, and the wait shows on the stall gauge.
     */
    @Incoming("cluster-events")
    public Uni<Void> consume(ConsumerRecords<byte[], EventReading> records) {
        Timer.Sample started = Timer.start();
        List<ConsumerRecord<byte[], EventReading>> inOrder = inOrder(records);
        progress.applying(inOrder.stream().map(ConsumerRecord::value).filter(Objects::nonNull)
                .mapToLong(EventReading::takenIn).min().orElse(0));
        Span batch = traces.start(inOrder);
        return applyFindingPoison(inOrder, Context.root().with(batch)).invoke(() -> {
            progress.caughtUp();
            batchSize.record(records.count());
            started.stop(batchDuration);
        }).eventually(() -> batch.end());
    }

    /** Partition by partition, each in offset order: then any run of the list leaves each partition's position whole. */
    private static List<ConsumerRecord<byte[], EventReading>> inOrder(ConsumerRecords<byte[], EventReading> records) {
        List<ConsumerRecord<byte[], EventReading>> inOrder = new ArrayList<>(records.count());
        for (TopicPartition partition : records.partitions()) {
            inOrder.addAll(records.records(partition));
        }
        return inOrder;
    }

    /**
     * Applies the records in one transaction. Should the database refuse them for good (a value it cannot hold,
     * which the contract's rule exists to keep out), it applies them again by halves, in order, each half in a
     * transaction of its own, down to the records it refuses alone: those are dead-lettered with the database's
     * reason, the others are applied.
     */
    private Uni<Void> applyFindingPoison(List<ConsumerRecord<byte[], EventReading>> records, Context trace) {
        return applyRetryingTransientFailures(records, trace).onFailure(RecordFailures::isPermanent).recoverWithUni(failure -> {
            if (records.size() == 1) {
                return deadLetterAlone(records.get(0), "the database refused it: " + RecordFailures.databaseReason(failure));
            }
            LOG.warnf("The database refused a batch of %d records for good (%s); applying it by halves to find which",
                    records.size(), RecordFailures.databaseReason(failure));
            int half = records.size() / 2;
            return applyFindingPoison(records.subList(0, half), trace)
                    .chain(() -> applyFindingPoison(records.subList(half, records.size()), trace));
        });
    }

    private Uni<Void> applyRetryingTransientFailures(List<ConsumerRecord<byte[], EventReading>> records,
            Context trace) {
        return store.pool().withTransaction(connection -> apply(connection, records))
                .onFailure(failure -> !RecordFailures.isPermanent(failure)).invoke(failure -> {
                    LOG.warnf("Applying %d records failed, retrying: %s", records.size(), failure.toString());
                    progress.retrying(failure);
                })
                .onFailure(failure -> !RecordFailures.isPermanent(failure)).retry()
                .withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely()
                .chain(outcome -> {
                    applied.increment(outcome.applied());
                    duplicates.increment(outcome.duplicates());
                    delay.applied(outcome.appliedEventTimes());
                    return publisher.publish(outcome.totals(), trace);
                });
    }

    /** Sends the record to the dead-letter topic, then notes it and moves its partition's position past it. */
    private Uni<Void> deadLetterAlone(ConsumerRecord<byte[], EventReading> record, String reason) {
        return retried(deadLetters.send(record, reason), "Dead-lettering a record")
                .chain(() -> retried(store.pool().withTransaction(connection -> store
                        .lockPositions(connection, record.topic(), List.of(record.partition()))
                        .chain(positions -> record.offset() < positions.getOrDefault(record.partition(), 0L)
                                ? Uni.createFrom().voidItem()
                                : deadLetters.note(connection, record, reason).chain(() -> store.advance(connection,
                                        record.topic(), Map.of(record.partition(), record.offset() + 1))))),
                        "Moving past a dead-lettered record"));
    }

    private Uni<Void> retried(Uni<Void> step, String what) {
        return step.onFailure().invoke(failure -> {
            LOG.warnf("%s failed, retrying: %s", what, failure.toString());
            progress.retrying(failure);
        })
                .onFailure().retry().withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely();
    }

    /** What a batch changed: the totals to publish, the counts, and the ce_time of each event applied. */
    private record Outcome(List<TotalsChanged> totals, long applied, long duplicates, List<String> appliedEventTimes) {
    }

    /** A version of a cluster, as events are counted: a redelivered version counts once. */
    private record ClusterVersion(UUID clusterId, int version) {
    }

    /** Records that are not yet applied, read, and each partition's position after them. */
    private record Unapplied(List<Delivery> deliveries, Map<ConsumerRecord<byte[], EventReading>, String> poison,
            Map<Integer, Long> nextOffsets, long alreadyApplied) {
    }

    /**
     * An event to apply, with its record's timestamp: per scope, the event of the newest record says how fresh the
     * totals are (the last one applied need not be: a batch takes partitions one after the other).
     */
    private record Delivery(EventReading reading, long timestamp) {
        ClusterEvent event() {
            return reading.event();
        }
    }

    private Uni<Outcome> apply(SqlConnection connection, List<ConsumerRecord<byte[], EventReading>> records) {
        String topic = records.get(0).topic();
        List<Integer> partitions = records.stream().map(ConsumerRecord::partition).distinct().toList();
        return store.lockPositions(connection, topic, partitions).chain(positions -> {
            Unapplied unapplied = unapplied(records, positions);
            if (unapplied.nextOffsets().isEmpty()) {
                return Uni.createFrom().item(new Outcome(List.of(), 0, unapplied.alreadyApplied(), List.of()));
            }
            List<Uni<Void>> deadLettered = new ArrayList<>();
            unapplied.poison().forEach((record, reason) -> deadLettered.add(deadLetters.deadLetter(connection, record,
                    reason)));
            return (deadLettered.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(deadLettered).andFailFast().replaceWithVoid())
                    .chain(() -> applyNewest(connection, topic, unapplied));
        });
    }

    private Unapplied unapplied(List<ConsumerRecord<byte[], EventReading>> records, Map<Integer, Long> positions) {
        List<Delivery> deliveries = new ArrayList<>();
        Map<ConsumerRecord<byte[], EventReading>, String> poison = new LinkedHashMap<>();
        Map<Integer, Long> nextOffsets = new LinkedHashMap<>();
        long alreadyApplied = 0;
        for (ConsumerRecord<byte[], EventReading> record : records) {
            if (record.offset() < positions.getOrDefault(record.partition(), 0L)) {
                alreadyApplied++;
                continue;
            }
            nextOffsets.put(record.partition(), record.offset() + 1);
            EventReading reading = record.value() != null ? record.value()
                    : EventReader.read(record.headers(), null);
            ClusterEventReading checked = reading.reading().keyedBy(record.key());
            if (checked.applicable()) {
                deliveries.add(new Delivery(reading, record.timestamp()));
            } else {
                poison.put(record, checked.problem());
            }
        }
        return new Unapplied(deliveries, poison, nextOffsets, alreadyApplied);
    }

    /**
     * Each event gives the cluster's whole state, so per cluster only the batch's newest version matters, and only
     * if it is newer than the one applied before. The clusters that are absent join first, as they are after the
     * batch; only the others are read, and replaced where the batch brings a newer version.
     */
    private Uni<Outcome> applyNewest(SqlConnection connection, String topic, Unapplied unapplied) {
        Map<UUID, Delivery> newest = new LinkedHashMap<>();
        for (Delivery delivery : unapplied.deliveries()) {
            newest.merge(delivery.event().clusterId(), delivery,
                    (known, next) -> next.event().version() > known.event().version() ? next : known);
        }
        Map<UUID, TallyStore.Applied> after = new LinkedHashMap<>();
        newest.forEach((clusterId, delivery) -> after.put(clusterId,
                new TallyStore.Applied(Contribution.of(delivery.event()), delivery.reading().eventId(), null)));
        return store.join(connection, after).chain(joined -> store.contributions(connection,
                newest.keySet().stream().filter(clusterId -> !joined.contains(clusterId)).toList())
                .chain(known -> {
                    if (joined.size() + known.size() != newest.size()) {
                        // Present when joining, yet absent when read: only if the totals were forgotten meanwhile.
                        throw new TallyStore.ContributionsChanged(newest.size() - joined.size() - known.size());
                    }
                    return replaceKnown(connection, topic, unapplied, newest, after, known);
                }));
    }

    /**
     * Takes back what each known cluster added, where the batch brings a newer version, adds what each cluster adds
     * after the batch, and writes it all. {@code known} holds the clusters that were stored before the batch;
     * {@code after}, each cluster as its newest event leaves it.
     */
    private Uni<Outcome> replaceKnown(SqlConnection connection, String topic, Unapplied unapplied,
            Map<UUID, Delivery> newest, Map<UUID, TallyStore.Applied> after, Map<UUID, Contribution> known) {
        Ledger ledger = new Ledger();
        Map<UUID, TallyStore.Applied> replacements = new LinkedHashMap<>();
        newest.forEach((clusterId, delivery) -> {
            Contribution before = known.get(clusterId);
            if (isNewer(delivery.event(), before)) {
                TallyStore.Applied applied = after.get(clusterId);
                ledger.replace(before, applied.contribution(), applied.eventId(), delivery.reading().eventTime(),
                        delivery.timestamp());
                if (before != null) {
                    replacements.put(clusterId,
                            new TallyStore.Applied(applied.contribution(), applied.eventId(), before.version()));
                }
            }
        });
        List<Delivery> newer = unapplied.deliveries().stream()
                .filter(delivery -> isNewer(delivery.event(), known.get(delivery.event().clusterId()))).toList();
        long applies = newer.stream()
                .map(delivery -> new ClusterVersion(delivery.event().clusterId(), delivery.event().version()))
                .distinct().count();
        long skipped = unapplied.alreadyApplied() + unapplied.deliveries().size() - applies;
        List<String> eventTimes = newer.stream().map(delivery -> delivery.reading().eventTime()).toList();
        return store.write(connection, replacements, ledger, topic, unapplied.nextOffsets())
                .map(totals -> new Outcome(totals, applies, skipped, eventTimes));
    }

    private static boolean isNewer(ClusterEvent event, Contribution known) {
        return known == null || event.version() > known.version();
    }
}
