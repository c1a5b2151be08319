package org.coalitiontracker.reporting.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.coalitiontracker.reporting.ReportingSettings;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The views are rebuilt from Kafka alone: when the table a channel feeds is empty (a new or dropped database), its
 * partitions are read again from their start, whatever offsets the consumer group had committed (and those offsets
 * move to the start too). Views keep the highest version per scope or cluster, so reading records again never corrupts
 * them. Each channel's view has a
 * listener of its own, naming its table (a @Singleton: nothing to proxy).
 */
public abstract class ReplayIntoEmptyView implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ReplayIntoEmptyView.class);

    private final Pool pool;
    private final String table;
    private final Duration databaseWait;

    protected ReplayIntoEmptyView(Pool pool, String table, ReportingSettings settings) {
        this.pool = pool;
        this.table = table;
        this.databaseWait = settings.retry().databaseWait();
    }

    /** Runs on the polling thread, which may block. */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        boolean empty = pool.query("SELECT NOT EXISTS (SELECT 1 FROM " + table + ") AS empty").execute()
                .map(rows -> rows.iterator().next().getBoolean("empty"))
                .await().atMost(databaseWait);
        if (empty) {
            LOG.infof("%s is empty: reading %s from the start", table, partitions);
            consumer.seekToBeginning(partitions);
            // And the group's offsets of every partition of the topic moved there too, not only of those assigned
            // here: a consumer that takes one of them later (in a rebalance, or a consumer of the group assigned after
            // this one) finds the table no longer empty, and would otherwise resume where the group was before the
            // table was emptied, never reading the rest of the partition again.
            Set<TopicPartition> everyPartition = new HashSet<>();
            partitions.stream().map(TopicPartition::topic).distinct().forEach(topic -> consumer.partitionsFor(topic)
                    .forEach(info -> everyPartition.add(new TopicPartition(topic, info.partition()))));
            Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
            consumer.beginningOffsets(everyPartition)
                    .forEach((partition, offset) -> starts.put(partition, new OffsetAndMetadata(offset)));
            consumer.commitSync(starts);
        }
        assigned(consumer, partitions, empty);
    }

    /** What else the view does once its partitions are assigned, on the polling thread; whether they are read again. */
    protected void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, boolean fromTheStart) {
    }
}
