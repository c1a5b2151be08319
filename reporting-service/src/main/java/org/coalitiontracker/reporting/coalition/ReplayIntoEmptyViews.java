package org.coalitiontracker.reporting.coalition;

import java.time.Duration;
import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The views are rebuilt from Kafka alone: when the table a topic feeds is empty (a new or dropped database), its
 * partitions are read again from their start, whatever offsets the consumer group had committed. Views keep the
 * highest version per scope or cluster, so reading records again never corrupts them.
 */
@ApplicationScoped
@Identifier("replay-into-empty-views")
public class ReplayIntoEmptyViews implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ReplayIntoEmptyViews.class);

    private final Pool pool;

    ReplayIntoEmptyViews(Pool pool) {
        this.pool = pool;
    }

    /** Runs on the polling thread, which may block. */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        String table = topic.equals("cluster-events") ? "cluster_entry" : "scope_view";
        boolean empty = pool.query("SELECT NOT EXISTS (SELECT 1 FROM " + table + ") AS empty").execute()
                .map(rows -> rows.iterator().next().getBoolean("empty"))
                .await().atMost(Duration.ofSeconds(30));
        if (empty) {
            LOG.infof("%s is empty: reading %s from the start", table, partitions);
            consumer.seekToBeginning(partitions);
        }
    }
}
