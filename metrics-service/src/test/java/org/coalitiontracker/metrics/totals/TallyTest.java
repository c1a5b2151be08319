package org.coalitiontracker.metrics.totals;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.coalitiontracker.localinfra.EventContract;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

@QuarkusTest
class TallyTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final ObjectMapper mapper = new ObjectMapper();
    private KafkaCompanion kafka;
    private ConsumerTask<String, String> totalsOut;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(bootstrapServers);
        totalsOut = kafka.consumeStrings().fromTopics("coalition-totals");
    }

    @AfterEach
    void close() {
        totalsOut.stop();
        kafka.close();
    }

    @Test
    void joinsAddUpExactlyAndARedeliveredEventCountsOnce() throws Exception {
        JsonNode before = coalitionTotals();
        ObjectNode rotterdam = clusterJoined("Port of Rotterdam", "NL", "15.846", 69231, "10.000");
        ObjectNode antwerp = clusterJoined("Port of Antwerp-Bruges", "NL", "41.750", 137500, "22.750");
        String rotterdamEvent = UUID.randomUUID().toString();

        // One partition, so that the redelivered copy is processed before the next join.
        publish(rotterdam, rotterdamEvent, 0);
        publish(rotterdam, rotterdamEvent, 0);
        String antwerpEvent = UUID.randomUUID().toString();
        publish(antwerp, antwerpEvent, 0);

        ConsumerRecord<String, String> published = awaitTotalsCausedBy(antwerpEvent);
        JsonNode after = mapper.readTree(published.value());
        assertThat(after.get("clusters").asLong()).isEqualTo(before.get("clusters").asLong() + 2);
        assertThat(after.get("countries").asLong()).isEqualTo(before.get("countries").asLong() + 1);
        assertThat(after.get("emissionsReductionMtPerYear").decimalValue()).isEqualByComparingTo(
                before.get("emissionsReductionMtPerYear").decimalValue().add(new BigDecimal("57.596")));
        assertThat(after.get("jobs").asLong()).isEqualTo(before.get("jobs").asLong() + 206731);
        assertThat(after.get("gdpUsdBn").decimalValue()).isEqualByComparingTo(
                before.get("gdpUsdBn").decimalValue().add(new BigDecimal("32.750")));
        assertThat(after.get("version").asLong()).isEqualTo(before.get("version").asLong() + 2);

        assertThat(coalitionTotals()).isEqualTo(after);
    }

    @Test
    void publishedTotalsKeepTheirContract() throws Exception {
        String eventId = UUID.randomUUID().toString();
        publish(clusterJoined("Kakinada Cluster", "IN", "15.846", 69231, "10.000"), eventId, null);

        ConsumerRecord<String, String> published = awaitTotalsCausedBy(eventId);
        EventContract.totalsChangedV1().assertKeptBy(published.value());
        assertThat(published.key()).isEqualTo("coalition");
        assertThat(header(published, "ce_type")).isEqualTo("org.coalitiontracker.TotalsChanged.v1");
        assertThat(header(published, "ce_source")).isEqualTo("urn:coalition-tracker:metrics-service");
        assertThat(header(published, "ce_id")).isNotBlank();
    }

    @Test
    void aRevisionReplacesAndAWithdrawalRetractsTheContributionAndStaleVersionsChangeNothing() throws Exception {
        JsonNode before = coalitionTotals();
        ObjectNode joined = clusterJoined("Dunkerque DKarbonation", "FR", "24.333", 191666, "15.000");
        String clusterId = joined.get("clusterId").asText();
        publish(joined, UUID.randomUUID().toString(), 0);
        ObjectNode revisedV2 = figuresRevised(clusterId, 2, "FR", figures("24.333", 191666, "15.000"),
                figures("30.125", 200000, "16.500"));
        String revisionEvent = UUID.randomUUID().toString();
        publish(revisedV2, revisionEvent, 0);

        JsonNode afterRevision = mapper.readTree(awaitTotalsCausedBy(revisionEvent).value());
        assertThat(afterRevision.get("clusters").asLong()).isEqualTo(before.get("clusters").asLong() + 1);
        assertThat(afterRevision.get("emissionsReductionMtPerYear").decimalValue()).isEqualByComparingTo(
                before.get("emissionsReductionMtPerYear").decimalValue().add(new BigDecimal("30.125")));
        assertThat(afterRevision.get("jobs").asLong()).isEqualTo(before.get("jobs").asLong() + 200000);
        assertThat(afterRevision.get("gdpUsdBn").decimalValue()).isEqualByComparingTo(
                before.get("gdpUsdBn").decimalValue().add(new BigDecimal("16.500")));

        ObjectNode withdrawnV3 = withdrawn(clusterId, 3, "FR", figures("30.125", 200000, "16.500"));
        publish(withdrawnV3, UUID.randomUUID().toString(), 0);
        // A copy of the revision arriving after the withdrawal: older version, so nothing changes.
        publish(revisedV2, UUID.randomUUID().toString(), 0);
        ObjectNode marker = clusterJoined("Marker Cluster", "FR", "0.000", 0, "0.000");
        String markerEvent = UUID.randomUUID().toString();
        publish(marker, markerEvent, 0);

        JsonNode after = mapper.readTree(awaitTotalsCausedBy(markerEvent).value());
        assertThat(after.get("clusters").asLong()).isEqualTo(before.get("clusters").asLong() + 1);
        assertThat(after.get("emissionsReductionMtPerYear").decimalValue())
                .isEqualByComparingTo(before.get("emissionsReductionMtPerYear").decimalValue());
        assertThat(after.get("jobs").asLong()).isEqualTo(before.get("jobs").asLong());
        assertThat(after.get("gdpUsdBn").decimalValue()).isEqualByComparingTo(before.get("gdpUsdBn").decimalValue());
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() throws Exception {
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings()
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("cluster-events.dlq");
        String notJson = UUID.randomUUID().toString();
        String unknownType = UUID.randomUUID().toString();
        String noJobs = UUID.randomUUID().toString();
        publishRaw(notJson, "this is not JSON", "org.coalitiontracker.ClusterJoined.v1");
        publishRaw(unknownType, "{\"clusterId\": \"" + unknownType + "\"}", "org.coalitiontracker.ClusterMerged.v1");
        publishRaw(noJobs, "{\"clusterId\": \"" + noJobs + "\", \"version\": 1, \"country\": \"NL\","
                + " \"emissionsReductionMtPerYear\": 1.5, \"gdpUsdBn\": 2}", "org.coalitiontracker.ClusterJoined.v1");
        String goodEvent = UUID.randomUUID().toString();
        publish(clusterJoined("Antwerp After Poison", "BE", "1.000", 1, "1.000"), goodEvent, 0);

        awaitTotalsCausedBy(goodEvent);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.getRecords().size() >= 3);
        Map<String, String> reasons = deadLetters.getRecords().stream().collect(Collectors.toMap(
                ConsumerRecord::key, record -> header(record, "dead-letter-reason"), (a, b) -> a));
        assertThat(reasons.get(notJson)).startsWith("not a readable ClusterJoined");
        assertThat(reasons.get(unknownType)).startsWith("unknown event type");
        assertThat(reasons.get(noJobs)).startsWith("invalid ClusterJoined");
        ConsumerRecord<String, String> first = deadLetters.getRecords().stream()
                .filter(record -> notJson.equals(record.key())).findFirst().orElseThrow();
        assertThat(first.value()).isEqualTo("this is not JSON");
        assertThat(header(first, "dead-letter-topic")).isEqualTo("cluster-events");
        assertThat(header(first, "ce_type")).isEqualTo("org.coalitiontracker.ClusterJoined.v1");
        given().when().get("/q/metrics").then().body(containsString("cluster_events_dead_lettered_total 3.0"));
        deadLetters.stop();
    }

    private void publishRaw(String key, String value, String type) {
        ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", 0, key, value);
        record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_type", bytes(type)).add("ce_source", bytes("urn:test"));
        kafka.produceStrings().fromRecords(List.of(record)).awaitCompletion();
    }

    private ObjectNode figures(String emissions, long jobs, String gdp) {
        return mapper.createObjectNode().put("emissionsReductionMtPerYear", new BigDecimal(emissions))
                .put("jobs", jobs).put("gdpUsdBn", new BigDecimal(gdp));
    }

    /** A ClusterFiguresRevised v1 as membership-service writes it; checked against its contract before use. */
    private ObjectNode figuresRevised(String clusterId, int version, String country, ObjectNode previous,
            ObjectNode revised) {
        ObjectNode event = mapper.createObjectNode().put("clusterId", clusterId).put("version", version)
                .put("country", country).put("joinedOn", "2024-01-16");
        event.putArray("sectors").add("STEEL");
        event.set("previous", previous);
        event.set("revised", revised);
        EventContract.clusterFiguresRevisedV1().assertKeptBy(event.toString());
        return event.put("type", "org.coalitiontracker.ClusterFiguresRevised.v1");
    }

    /** A ClusterWithdrawn v1 as membership-service writes it; checked against its contract before use. */
    private ObjectNode withdrawn(String clusterId, int version, String country, ObjectNode figures) {
        ObjectNode event = mapper.createObjectNode().put("clusterId", clusterId).put("version", version)
                .put("country", country).put("joinedOn", "2024-01-16").put("withdrawnOn", "2025-03-31");
        event.putArray("sectors").add("STEEL");
        event.set("figures", figures);
        EventContract.clusterWithdrawnV1().assertKeptBy(event.toString());
        return event.put("type", "org.coalitiontracker.ClusterWithdrawn.v1");
    }

    /** A ClusterJoined v1 as membership-service writes it; checked against its contract before use. */
    private ObjectNode clusterJoined(String name, String country, String emissions, long jobs, String gdp) {
        ObjectNode event = mapper.createObjectNode()
                .put("clusterId", UUID.randomUUID().toString())
                .put("version", 1)
                .put("name", name)
                .put("country", country)
                .put("joinedOn", "2025-01-22")
                .put("portAnchored", true)
                .put("emissionsReductionMtPerYear", new BigDecimal(emissions))
                .put("jobs", jobs)
                .put("gdpUsdBn", new BigDecimal(gdp));
        event.putArray("sectors").add("PORT_LOGISTICS");
        EventContract.clusterJoinedV1().assertKeptBy(event.toString());
        return event.put("type", "org.coalitiontracker.ClusterJoined.v1");
    }

    /** Publishes the event's data with CloudEvents headers; its test-only {@code type} field becomes ce_type. */
    private void publish(ObjectNode event, String eventId, Integer partition) {
        ObjectNode data = event.deepCopy();
        String type = data.remove("type").asText();
        ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", partition,
                data.get("clusterId").asText(), data.toString());
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(eventId))
                .add("ce_type", bytes(type))
                .add("ce_source", bytes("urn:coalition-tracker:membership-service"));
        kafka.produceStrings().fromRecords(List.of(record)).awaitCompletion();
    }

    private ConsumerRecord<String, String> awaitTotalsCausedBy(String eventId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> totalsOut.getRecords().stream()
                .filter(record -> record.value().contains(eventId)).findFirst(), Optional::isPresent).orElseThrow();
    }

    private JsonNode coalitionTotals() throws Exception {
        JsonNode all = mapper.readTree(given().when().get("/totals").then().statusCode(200).extract().asString());
        for (JsonNode totals : all) {
            if (totals.get("scope").asText().equals("coalition")) {
                return totals;
            }
        }
        return mapper.readTree("""
                {"scope":"coalition","version":0,"clusters":0,"countries":0,"emissionsReductionMtPerYear":0,
                 "jobs":0,"gdpUsdBn":0}""");
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
