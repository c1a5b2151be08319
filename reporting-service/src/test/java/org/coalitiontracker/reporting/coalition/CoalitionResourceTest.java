package org.coalitiontracker.reporting.coalition;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

@QuarkusTest
class CoalitionResourceTest {

    private static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.incoming.coalition-totals.group.id")
    String groupId;

    /** Versions grow across the tests of a run, whatever order they run in, as metrics-service's do. */
    private static final AtomicLong VERSIONS = new AtomicLong();

    private final ObjectMapper mapper = new ObjectMapper();
    private KafkaCompanion kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void theViewShowsTheNewestTotalsAndIgnoresAStaleVersion() {
        long version = VERSIONS.addAndGet(10);
        String newest = UUID.randomUUID().toString();
        publish(totals(version, newest, 20, 10, "626.000", 3400000, "362.000"));
        awaitCoalition(newest);

        publish(totals(version - 1, UUID.randomUUID().toString(), 17, 9, "500.000", 2000000, "300.000"));
        RecordMetadata stale = publish(
                totals(version - 2, UUID.randomUUID().toString(), 8, 6, "334.000", 1100000, "182.000"));
        awaitProcessed(stale);

        given().config(EXACT).when().get("/coalition")
                .then().statusCode(200)
                .body("lastEventId", equalTo(newest))
                .body("clusters", equalTo(20))
                .body("countries", equalTo(10))
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("626.000")))
                .body("jobs", equalTo(3400000))
                .body("gdpUsdBn", equalTo(new BigDecimal("362.000")));
    }

    @Test
    void aNewerVersionReplacesTheView() {
        String first = UUID.randomUUID().toString();
        publish(totals(VERSIONS.addAndGet(10), first, 32, 15, "816.154", 4230770, "482.000"));
        awaitCoalition(first);
        String second = UUID.randomUUID().toString();
        publish(totals(VERSIONS.addAndGet(10), second, 33, 16, "832.000", 4300000, "492.000"));
        awaitCoalition(second);

        given().config(EXACT).when().get("/coalition")
                .then().statusCode(200)
                .body("clusters", equalTo(33))
                .body("countries", equalTo(16))
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("832.000")))
                .body("jobs", equalTo(4300000))
                .body("gdpUsdBn", equalTo(new BigDecimal("492.000")));
    }

    @Test
    void aPollingDashboardGetsNotModifiedUntilTheTotalsChange() {
        String first = UUID.randomUUID().toString();
        publish(totals(VERSIONS.addAndGet(10), first, 33, 16, "832.000", 4300000, "492.000"));
        awaitCoalition(first);
        String etag = given().when().get("/coalition")
                .then().statusCode(200)
                .header("Cache-Control", equalTo("no-cache"))
                .extract().header("ETag");

        given().header("If-None-Match", etag).when().get("/coalition")
                .then().statusCode(304)
                .header("ETag", equalTo(etag));

        String second = UUID.randomUUID().toString();
        publish(totals(VERSIONS.addAndGet(10), second, 34, 16, "847.846", 4369231, "502.000"));
        awaitCoalition(second);
        given().header("If-None-Match", etag).when().get("/coalition")
                .then().statusCode(200)
                .header("ETag", not(equalTo(etag)))
                .body("clusters", equalTo(34));
    }

    /** A TotalsChanged v1 as metrics-service writes it; checked against its contract before use. */
    private ObjectNode totals(long version, String eventId, long clusters, long countries, String emissions, long jobs,
            String gdp) {
        ObjectNode totals = mapper.createObjectNode()
                .put("scope", "coalition")
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

    private RecordMetadata publish(ObjectNode totals) {
        ProducerRecord<String, String> record = new ProducerRecord<>("coalition-totals", "coalition", totals.toString());
        record.headers()
                .add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .add("ce_type", "org.coalitiontracker.TotalsChanged.v1".getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "urn:coalition-tracker:metrics-service".getBytes(StandardCharsets.UTF_8));
        return kafka.produceStrings().fromRecords(List.of(record)).awaitCompletion().getFirstRecord();
    }

    private void awaitCoalition(String lastEventId) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition")
                .then().statusCode(200).body("lastEventId", equalTo(lastEventId)));
    }

    /** Waits until the service has consumed and acknowledged the record. */
    private void awaitProcessed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            OffsetAndMetadata committed = kafka.consumerGroups().offsets(groupId, partition);
            return committed != null && committed.offset() > record.offset();
        });
    }
}
