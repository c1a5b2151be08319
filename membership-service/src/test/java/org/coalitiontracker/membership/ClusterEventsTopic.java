package org.coalitiontracker.membership;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.header.Header;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** What a test sees of the {@code cluster-events} topic on the real broker, from its beginning. */
final class ClusterEventsTopic implements AutoCloseable {

    private final KafkaCompanion kafka;
    private final ConsumerTask<String, String> records;

    ClusterEventsTopic(String bootstrapServers) {
        kafka = new KafkaCompanion(bootstrapServers);
        records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("cluster-events");
    }

    /** The events of these clusters received so far, in the order they were received. */
    List<ConsumerRecord<String, String>> eventsFor(Collection<String> clusterIds) {
        return records.getRecords().stream().filter(record -> clusterIds.contains(record.key())).toList();
    }

    /** Every event received so far. */
    List<ConsumerRecord<String, String>> received() {
        return records.getRecords();
    }

    /** Waits for {@code count} events of one cluster. */
    List<ConsumerRecord<String, String>> awaitEventsFor(String clusterId, int count) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> eventsFor(List.of(clusterId)), events -> events.size() >= count);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        records.stop();
        kafka.close();
    }
}
