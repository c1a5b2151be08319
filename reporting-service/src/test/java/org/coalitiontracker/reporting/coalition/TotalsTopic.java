package org.coalitiontracker.reporting.coalition;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.coalitiontracker.localinfra.EventContract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** {@code coalition-totals} as the tests feed it: TotalsChanged v1 messages as metrics-service publishes them. */
public final class TotalsTopic implements AutoCloseable {

    /**
     * Versions grow across the tests of a run, whatever order they run in, as metrics-service's do; from the clock, so
     * that they also grow past a test profile's restart, which loads this class again.
     */
    private static final AtomicLong VERSIONS = new AtomicLong(System.currentTimeMillis() * 1_000);

    private final ObjectMapper mapper = new ObjectMapper();
    private final KafkaCompanion kafka;

    public TotalsTopic(String bootstrapServers) {
        kafka = new KafkaCompanion(bootstrapServers);
    }

    /** A version newer than any published so far. */
    public static long nextVersion() {
        return VERSIONS.addAndGet(10);
    }

    /** A TotalsChanged v1 as metrics-service writes it; checked against its contract before use. */
    public ObjectNode totals(String scope, long version, String eventId, long clusters, long countries, String emissions,
            long jobs, String gdp) {
        ObjectNode totals = mapper.createObjectNode()
                .put("scope", scope)
                .put("version", version)
                .put("causedByEventId", eventId)
                .put("clusters", clusters)
                .put("countries", countries)
                .put("emissionsReductionMtPerYear", new BigDecimal(emissions))
                .put("jobs", jobs)
                .put("gdpUsdBn", new BigDecimal(gdp))
                .put("updatedAt", "2025-01-22T10:00:00Z");
        EventContract.totalsChangedV1().assertKeptBy(totals.toString());
        return totals;
    }

    /** Publishes it keyed by its scope, with CloudEvents headers. */
    public RecordMetadata publish(ObjectNode totals) {
        return publish(totals.get("scope").asText(), totals.toString());
    }

    /** Publishes any value under any key, with the headers metrics-service sends. */
    RecordMetadata publish(String key, String value) {
        return kafka.produceStrings().fromRecords(List.of(record(key, value))).awaitCompletion().getFirstRecord();
    }

    /** Publishes them all at once, as metrics-service publishes a batch's totals. */
    void publishAll(List<ObjectNode> totals) {
        kafka.produceStrings().fromRecords(totals.stream().map(one -> record(one.get("scope").asText(),
                one.toString())).toList()).awaitCompletion();
    }

    private static ProducerRecord<String, String> record(String key, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>("coalition-totals", key, value);
        record.headers()
                .add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .add("ce_type", "org.coalitiontracker.TotalsChanged.v1".getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "urn:coalition-tracker:metrics-service".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Waits until the consumer group has consumed and acknowledged the record. */
    void awaitProcessed(RecordMetadata record, String groupId) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            OffsetAndMetadata committed = kafka.consumerGroups().offsets(groupId, partition);
            return committed != null && committed.offset() > record.offset();
        });
    }

    @Override
    public void close() {
        kafka.close();
    }
}
