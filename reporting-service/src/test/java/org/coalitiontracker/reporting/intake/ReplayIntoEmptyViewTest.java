package org.coalitiontracker.reporting.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.coalitiontracker.reporting.ReportingSettings;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A view found empty is read again from the start of its topic, and the group's offsets of every partition move there,
 * not only of the partitions assigned to the consumer that found it empty: a consumer of the group assigned another
 * partition later finds the view no longer empty, and must still read that partition from its start.
 */
@QuarkusTest
class ReplayIntoEmptyViewTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    Pool pool;

    @Inject
    ReportingSettings settings;

    /** A view of a table of this test's own, empty. */
    static final class EmptyView extends ReplayIntoEmptyView {
        EmptyView(Pool pool, ReportingSettings settings) {
            super(pool, "replay_test_view", settings);
        }
    }

    @Test
    void aViewFoundEmptyMovesTheGroupToTheStartOfEveryPartitionOfItsTopic() {
        pool.query("CREATE TABLE IF NOT EXISTS replay_test_view (id integer)").execute().await().indefinitely();
        String topic = "replay-test-" + UUID.randomUUID();
        String group = topic + "-group";
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                new TopicPartition(topic, 2));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            kafka.topics().createAndWait(topic, 3);
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                records.add(new ProducerRecord<>(topic, i % 3, "key", "record " + i));
            }
            kafka.produceStrings().fromRecords(records).awaitCompletion();
            // The group had read every partition to its end before the view's table was emptied.
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            partitions.forEach(partition -> ends.put(partition, new OffsetAndMetadata(3)));
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
                consumer.assign(partitions);
                consumer.commitSync(ends);
            }

            try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
                consumer.assign(List.of(partitions.get(0)));
                new EmptyView(pool, settings).onPartitionsAssigned(consumer, List.of(partitions.get(0)));
                assertThat(consumer.position(partitions.get(0))).isZero();
            }

            for (TopicPartition partition : partitions) {
                assertThat(kafka.consumerGroups().offsets(group, partition).offset()).as("%s", partition).isZero();
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
