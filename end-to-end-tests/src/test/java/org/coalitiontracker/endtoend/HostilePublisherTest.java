package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.coalitiontracker.contracts.ClusterEvent;
import org.coalitiontracker.contracts.ClusterEventReader;
import org.coalitiontracker.contracts.ClusterEventReading;
import org.coalitiontracker.localinfra.HostileClusterRecords;
import org.coalitiontracker.localinfra.HostileClusterRecords.ClusterRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * The whole system against a hostile publisher: poison through the API and straight onto {@code cluster-events}
 * stops nothing, and records generated as a careless producer would write them are applied, or dead-lettered by
 * both consumers with the reason the event contracts' rule gives, exactly as that rule says.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostilePublisherTest {

    private static final ClusterEventReader RULE = new ClusterEventReader();
    private static final long SEED = 20261202L;
    private static CoalitionSystem system;

    @BeforeAll
    static void startTheSystemWithTheRoster() throws Exception {
        system = CoalitionSystem.start("e2e_hostile");
        system.importRoster(CoalitionSystem.roster());
        await().atMost(Duration.ofSeconds(60)).until(() -> system.coalition("").getLong("clusters") == 33);
    }

    @AfterAll
    static void stopTheSystem() throws InterruptedException {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void poisonThroughTheApiAndOntoTheTopicStopsNothing() throws Exception {
        // Through the API: what a hostile review got accepted, now refused.
        for (String hostile : List.of("\"joinedOn\": \"-5000-01-01\"", "\"jobs\": 9223372036854775807",
                "\"jobs\": 1.9", "\"name\": \"nul\\u0000\"", "\"name\": \"\\u200b\"", "\"gdpUsdBn\": \"abc\"")) {
            given().baseUri(system.membership.baseUri()).auth().oauth2(system.publisherToken())
                    .contentType("application/json").body(join("Refused " + UUID.randomUUID(), hostile))
                    .when().post("/clusters").then().statusCode(400).contentType("application/problem+json");
        }
        // Straight onto the topic: each kind of poison, and more of them generated.
        List<ClusterRecord> poison = HostileClusterRecords.sample(HostileClusterRecords.records()
                .filter(record -> !RULE.read(record.key(), record.type(), record.eventId(), record.value())
                        .applicable()),
                SEED, 150);
        Map<String, String> reasons = publish(poison);

        long sent = System.nanoTime();
        String joined = system.join(join("After The Poison " + UUID.randomUUID(), ""));
        String id = joined.substring(joined.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> system.coalition("").getLong("clusters") == 34);
        long toTotals = (System.nanoTime() - sent) / 1_000_000;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(system.reporting.baseUri())
                .when().get("/clusters/" + id).then().statusCode(200));
        long toDirectory = (System.nanoTime() - sent) / 1_000_000;

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(system.metrics.baseUri())
                .when().get("/reconciliation").then().statusCode(200).body("status", equalTo("EQUAL"))
                .body("deadLettered.records", equalTo(poison.size())));
        Map<String, String> metricsReasons = deadLetters("cluster-events.dlq", poison.size());
        Map<String, String> reportingReasons = deadLetters("cluster-events.reporting.dlq", poison.size());
        assertThat(metricsReasons).as("what metrics-service dead-lettered, and why").isEqualTo(reasons);
        assertThat(reportingReasons).as("what reporting-service dead-lettered, and why").isEqualTo(reasons);
        System.out.printf("%d poison records, then a join: in the totals after %d ms, in the directory after %d ms; "
                + "dead-letter reasons seen: %s%n", poison.size(), toTotals, toDirectory, histogram(reasons));
    }

    @Test
    @Order(2)
    void generatedRecordsAreAppliedOrDeadLetteredExactlyAsTheRuleSays() throws Exception {
        JsonPath before = given().baseUri(system.metrics.baseUri()).when().get("/reconciliation").then()
                .extract().jsonPath();
        List<ClusterRecord> records = HostileClusterRecords.sample(HostileClusterRecords.records("ZZ", 1901),
                SEED + 1, 400);
        long clusters = 0;
        long jobs = 0;
        BigDecimal emissions = BigDecimal.ZERO;
        BigDecimal gdp = BigDecimal.ZERO;
        long refused = 0;
        for (ClusterRecord record : records) {
            ClusterEventReading reading = RULE.read(record.key(), record.type(), record.eventId(), record.value());
            if (!reading.applicable()) {
                refused++;
            } else if (reading.event().withdrawnOn() == null) {
                ClusterEvent event = reading.event();
                clusters++;
                jobs += event.figures().jobs();
                emissions = emissions.add(event.figures().emissionsReductionMtPerYear());
                gdp = gdp.add(event.figures().gdpUsdBn());
            }
        }
        publish(records);
        String marker = system.join(join("Marker After Generated " + UUID.randomUUID(), ""));
        String markerId = marker.substring(marker.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(system.reporting.baseUri())
                .when().get("/clusters/" + markerId).then().statusCode(200));
        long expectedClusters = clusters;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(system.metrics.baseUri())
                .when().get("/totals/country:ZZ").then().statusCode(200)
                .body("clusters", equalTo((int) expectedClusters)));
        JsonPath totals = given().baseUri(system.metrics.baseUri()).when().get("/totals/country:ZZ").then()
                .extract().jsonPath().using(JsonPathConfig.jsonPathConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        assertThat(totals.getLong("jobs")).isEqualTo(jobs);
        assertThat(totals.getObject("emissionsReductionMtPerYear", BigDecimal.class)).isEqualByComparingTo(emissions);
        assertThat(totals.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(gdp);
        given().baseUri(system.reporting.baseUri()).queryParam("country", "ZZ").queryParam("size", 1)
                .when().get("/clusters").then().statusCode(200).body("total", equalTo((int) expectedClusters));
        long refusedRecords = refused;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(system.metrics.baseUri())
                .when().get("/reconciliation").then().body("deadLettered.records",
                        equalTo(before.getInt("deadLettered.records") + (int) refusedRecords)));
        System.out.printf("%d generated records: %d refused and dead-lettered, %d current clusters counted exactly "
                + "(%d jobs, %s MtCO2e, %s USD bn)%n", records.size(), refused, clusters, jobs, emissions, gdp);
    }

    /** Publishes the records in order, and says why the rule refuses each it refuses, by partition and offset. */
    private static Map<String, String> publish(List<ClusterRecord> records) throws Exception {
        Map<String, String> reasons = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.broker.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ClusterRecord record : records) {
                ProducerRecord<byte[], byte[]> sent = new ProducerRecord<>("cluster-events", record.key(),
                        record.value());
                sent.headers().add("ce_specversion", bytes("1.0")).add("ce_source", bytes("urn:test:hostile"));
                if (record.type() != null) {
                    sent.headers().add("ce_type", bytes(record.type()));
                }
                if (record.eventId() != null) {
                    sent.headers().add("ce_id", bytes(record.eventId()));
                }
                RecordMetadata where = producer.send(sent).get();
                ClusterEventReading reading = RULE.read(record.key(), record.type(), record.eventId(),
                        record.value());
                if (!reading.applicable()) {
                    reasons.put(where.partition() + "@" + where.offset(), reading.problem());
                }
            }
        }
        return reasons;
    }

    /** The dead letters of a topic, by the partition and offset of the record on cluster-events, with their reason. */
    private static Map<String, String> deadLetters(String topic, int count) {
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reasons.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reasons.put(header(record, "dead-letter-partition") + "@" + header(record, "dead-letter-offset"),
                            header(record, "dead-letter-reason"));
                }
            }
        }
        return reasons;
    }

    /** How often each kind of reason came: the field an invalid event broke, or what made one unreadable. */
    private static Map<String, Integer> histogram(Map<String, String> reasons) {
        Map<String, Integer> kinds = new TreeMap<>();
        reasons.values().forEach(reason -> kinds.merge(reason.startsWith("invalid ")
                ? reason.replaceAll("^invalid \\w+: (the record's key|\\w+).*", "$1")
                : reason.replaceAll("^(not a readable|unknown event type).*", "$1"), 1, Integer::sum));
        return kinds;
    }

    private static String join(String name, String override) {
        String body = "{\"name\": \"" + name + "\", \"country\": \"NO\", \"joinedOn\": \"2025-06-30\","
                + " \"sectors\": [\"CCS\"], \"emissionsReductionMtPerYear\": 1.000, \"jobs\": 1, \"gdpUsdBn\": 1.000}";
        return override.isEmpty() ? body
                : body.replaceFirst("\"" + override.substring(1, override.indexOf('"', 1))
                        + "\": [^,}]*", override.replace("\\", "\\\\"));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
