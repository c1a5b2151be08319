package org.coalitiontracker.metrics.totals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.coalitiontracker.metrics.MetricsSettings;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * The consumer's positions live in this service's database, committed with the totals they produced, so the
 * database, not Kafka's committed offsets, says where to resume: after a crash, a rebalance or a rebuild (which
 * forgets the positions, so that reading starts again from the beginning).
 */
@ApplicationScoped
@Identifier("cluster-events-positions")
public class ConsumerPositions implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ConsumerPositions.class);

    private final TallyStore store;
    private final TotalsQueries totals;
    private final TotalsPublisher publisher;
    private final Duration databaseWait;

    ConsumerPositions(TallyStore store, TotalsQueries totals, TotalsPublisher publisher, MetricsSettings settings) {
        this.store = store;
        this.totals = totals;
        this.publisher = publisher;
        this.databaseWait = settings.retry().databaseWait();
    }

    /**
     * Seeks each assigned partition to its stored position, then publishes every scope's current totals once more:
     * if the instance that had them crashed between committing and publishing, readers still get the newest.
     * Runs on the polling thread, which may block.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        Map<Integer, Long> positions = store.positions(topic).await().atMost(databaseWait);
        for (TopicPartition partition : partitions) {
            Long position = positions.get(partition.partition());
            if (position == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, position);
            }
        }
        LOG.infof("Assigned %s; resuming at the stored positions %s", partitions, positions);
        totals.current().chain(publisher::publish).await().atMost(databaseWait);
    }
}
