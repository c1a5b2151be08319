package org.coalitiontracker.metrics.totals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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

    private final TotalsStore store;
    private final TotalsPublisher publisher;
    private final DeadLetters deadLetters;
    private final Counter applied;
    private final Counter duplicates;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    Tally(TotalsStore store, TotalsPublisher publisher, DeadLetters deadLetters,
            MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
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
     * Applies one batch. A record that can never be applied (not JSON, an unknown type, missing or impossible fields)
     * goes to the dead-letter topic and the stream goes on. A failure to apply the batch (the database is down, say)
     * is retried with back-off until it succeeds: the partitions wait rather than skip or lose an event.
     */
    @Incoming("cluster-events")
    public Uni<Void> consume(ConsumerRecords<byte[], EventReading> records) {
        Timer.Sample started = Timer.start();
        return store.pool().withTransaction(connection -> apply(connection, records))
                .onFailure().invoke(failure -> LOG.warnf("Applying a batch of %d records failed, retrying: %s",
                        records.count(), failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .chain(outcome -> {
                    applied.increment(outcome.applied());
                    duplicates.increment(outcome.duplicates());
                    batchSize.record(records.count());
                    return publisher.publish(outcome.totals());
                })
                .invoke(() -> started.stop(batchDuration));
    }

    private record Outcome(List<TotalsChanged> totals, long applied, long duplicates) {
    }

    /** A version of a cluster, as events are counted: a redelivered version counts once. */
    private record ClusterVersion(UUID clusterId, int version) {
    }

    /** A batch's records that are not yet applied, read, and each partition's position after them. */
    private record Unapplied(List<EventReading> deliveries, Map<ConsumerRecord<byte[], EventReading>, String> poison,
            Map<Integer, Long> nextOffsets, long alreadyApplied) {
    }

    private Uni<Outcome> apply(SqlConnection connection, ConsumerRecords<byte[], EventReading> records) {
        String topic = records.partitions().iterator().next().topic();
        List<Integer> partitions = records.partitions().stream().map(TopicPartition::partition).toList();
        return store.lockPositions(connection, topic, partitions).chain(positions -> {
            Unapplied unapplied = unapplied(records, positions);
            if (unapplied.nextOffsets().isEmpty()) {
                return Uni.createFrom().item(new Outcome(List.of(), 0, unapplied.alreadyApplied()));
            }
            List<Uni<Void>> deadLettered = new ArrayList<>();
            unapplied.poison().forEach((record, reason) -> deadLettered.add(deadLetters.send(record, reason)));
            return (deadLettered.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(deadLettered).andFailFast().replaceWithVoid())
                    .chain(() -> applyNewest(connection, topic, unapplied));
        });
    }

    private Unapplied unapplied(ConsumerRecords<byte[], EventReading> records, Map<Integer, Long> positions) {
        List<EventReading> deliveries = new ArrayList<>();
        Map<ConsumerRecord<byte[], EventReading>, String> poison = new LinkedHashMap<>();
        Map<Integer, Long> nextOffsets = new LinkedHashMap<>();
        long alreadyApplied = 0;
        for (TopicPartition partition : records.partitions()) {
            long position = positions.getOrDefault(partition.partition(), 0L);
            for (ConsumerRecord<byte[], EventReading> record : records.records(partition)) {
                if (record.offset() < position) {
                    alreadyApplied++;
                    continue;
                }
                nextOffsets.put(partition.partition(), record.offset() + 1);
                EventReading reading = record.value();
                if (reading == null) {
                    poison.put(record, "no value");
                } else if (reading.event() == null) {
                    poison.put(record, reading.problem());
                } else {
                    deliveries.add(reading);
                }
            }
        }
        return new Unapplied(deliveries, poison, nextOffsets, alreadyApplied);
    }

    /**
     * Each event gives the cluster's whole state, so per cluster only the batch's newest version matters, and only
     * if it is newer than the one applied before.
     */
    private Uni<Outcome> applyNewest(SqlConnection connection, String topic, Unapplied unapplied) {
        Map<UUID, EventReading> newest = new LinkedHashMap<>();
        for (EventReading delivery : unapplied.deliveries()) {
            newest.merge(delivery.event().clusterId(), delivery,
                    (known, next) -> next.event().version() > known.event().version() ? next : known);
        }
        return store.contributions(connection, newest.keySet()).chain(known -> {
            Ledger ledger = new Ledger();
            Map<UUID, TotalsStore.Applied> changed = new LinkedHashMap<>();
            newest.forEach((clusterId, delivery) -> {
                Contribution before = known.get(clusterId);
                if (isNewer(delivery.event(), before)) {
                    Contribution after = delivery.event().contribution();
                    ledger.replace(before, after, delivery.eventId());
                    changed.put(clusterId, new TotalsStore.Applied(after, delivery.eventId(),
                            before == null ? null : before.version()));
                }
            });
            long applies = unapplied.deliveries().stream()
                    .filter(delivery -> isNewer(delivery.event(), known.get(delivery.event().clusterId())))
                    .map(delivery -> new ClusterVersion(delivery.event().clusterId(), delivery.event().version()))
                    .distinct().count();
            long skipped = unapplied.alreadyApplied() + unapplied.deliveries().size() - applies;
            return store.write(connection, changed, ledger, topic, unapplied.nextOffsets())
                    .map(totals -> new Outcome(totals, applies, skipped));
        });
    }

    private static boolean isNewer(ClusterEvent event, Contribution known) {
        return known == null || event.version() > known.version();
    }
}
