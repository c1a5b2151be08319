package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;
import org.coalitiontracker.localinfra.SyntheticClusterEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * metrics-service as operators run it: two instances in one consumer group share the partitions of
 * {@code cluster-events}; one is killed in the middle of tens of thousands of events (redelivered copies and stale
 * versions among them) and started again; then the totals are rebuilt from the start of the topic. Each time, every
 * scope's totals must equal an independent sum of what was published.
 */
class TotalsUnderFailureTest {

    private static final int EVENTS = 30_000;

    private static KafkaBroker broker;
    private static PostgresDatabase database;
    private static Map<String, String> environment;
    private static ServiceProcess first;
    private static ServiceProcess second;

    @BeforeAll
    static void startTheBrokerAndTheDatabase() {
        broker = KafkaBroker.inFreshDirectory().start();
        database = PostgresDatabase.named("e2e_metrics_failover").recreate();
        environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("METRICS_DB", database.name());
        // A killed instance's partitions move on within seconds, not after Kafka's default 45 s.
        environment.put("METRICS_KAFKA_SESSION_TIMEOUT_MS", "6000");
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        for (ServiceProcess instance : new ServiceProcess[] { first, second }) {
            if (instance != null) {
                instance.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoInstancesACrashAndARebuildEndWithTheIndependentSums() throws Exception {
        first = ServiceProcess.start("metrics-service", "metrics-first", "METRICS_HTTP_PORT", environment)
                .awaitReady();
        second = ServiceProcess.start("metrics-service", "metrics-second", "METRICS_HTTP_PORT", environment)
                .awaitReady();
        SyntheticClusterEvents stream = new SyntheticClusterEvents(20251128L);
        SyntheticClusterEvents.publish(broker.bootstrapServers(), stream.next(EVENTS));

        // Kill the first instance while it is applying: what it had not committed must not count, nor count twice,
        // and the second must take over its partitions.
        double appliedByTheKilledOne = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> applied(first), applied -> applied >= 1000);
        first.kill();
        System.out.printf("Killed the first instance after it had applied %.0f of %d events%n",
                appliedByTheKilledOne, EVENTS);
        awaitTotals(second, stream.expectedTotals());

        // Started again, it rejoins the group and takes its share of what comes next.
        first = ServiceProcess.start("metrics-service", "metrics-first-again", "METRICS_HTTP_PORT", environment)
                .awaitReady();
        await().atMost(Duration.ofSeconds(60)).until(() -> assigned(first) > 0);
        SyntheticClusterEvents.publish(broker.bootstrapServers(), stream.next(EVENTS / 10));
        Map<String, SyntheticClusterEvents.Totals> expected = stream.expectedTotals();
        awaitTotals(first, expected);
        awaitTotals(second, expected);
        assertThat(applied(first)).as("events the restarted instance applied").isPositive();
        // Both changed every scope: what a reader starting late gets from the compacted topic, each scope's last
        // record, is its newest totals.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(lastPublishedVersions()).isEqualTo(versions(second)));
        long versionBeforeRebuild = totals(second).getLong("find { it.scope == 'coalition' }.version");

        // The documented rebuild: stop every instance, forget the totals, start again.
        first.close();
        second.close();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password())) {
            connection.createStatement().execute("SELECT forget_totals()");
        }
        first = ServiceProcess.start("metrics-service", "metrics-rebuild", "METRICS_HTTP_PORT", environment)
                .awaitReady();
        second = null;
        awaitTotals(first, expected);
        assertThat(totals(first).getLong("find { it.scope == 'coalition' }.version"))
                .as("versions keep growing through a rebuild, so readers take the rebuilt totals")
                .isGreaterThan(versionBeforeRebuild);
    }

    private static double applied(ServiceProcess instance) {
        String metrics = given().baseUri(instance.managementUri()).when().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(line -> line.startsWith("cluster_events_applied_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).sum();
    }

    /** How many partitions of cluster-events the instance has, by Kafka's own consumer metrics. */
    private static double assigned(ServiceProcess instance) {
        String metrics = given().baseUri(instance.managementUri()).when().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(line -> line.startsWith("kafka_consumer_coordinator_assigned_partitions{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Waits until every scope shows its expected totals; scopes not expected must total zero. */
    private static void awaitTotals(ServiceProcess instance, Map<String, SyntheticClusterEvents.Totals> expected) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(shown(instance)).isEqualTo(expected));
    }

    private static Map<String, SyntheticClusterEvents.Totals> shown(ServiceProcess instance) {
        Map<String, SyntheticClusterEvents.Totals> shown = new TreeMap<>();
        for (Map<String, Object> scope : totals(instance).<Map<String, Object>> getList("")) {
            SyntheticClusterEvents.Totals totals = new SyntheticClusterEvents.Totals(
                    ((Number) scope.get("clusters")).longValue(), ((Number) scope.get("countries")).longValue(),
                    decimal(scope.get("emissionsReductionMtPerYear")), ((Number) scope.get("jobs")).longValue(),
                    decimal(scope.get("gdpUsdBn")));
            if (totals.clusters() != 0 || totals.jobs() != 0 || totals.emissionsReductionMtPerYear().signum() != 0
                    || totals.gdpUsdBn().signum() != 0 || totals.countries() != 0) {
                shown.put((String) scope.get("scope"), totals);
            }
        }
        return shown;
    }

    /** Each scope's version, as an instance shows it. */
    private static Map<String, Long> versions(ServiceProcess instance) {
        Map<String, Long> versions = new TreeMap<>();
        for (Map<String, Object> scope : totals(instance).<Map<String, Object>> getList("")) {
            versions.put((String) scope.get("scope"), ((Number) scope.get("version")).longValue());
        }
        return versions;
    }

    /** The version of each scope's last record on coalition-totals, read from the start to the end. */
    private static Map<String, Long> lastPublishedVersions() {
        Map<String, Long> versions = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID()), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("coalition-totals").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    versions.put(record.key(), JsonPath.from(record.value()).getLong("version"));
                }
            }
        }
        return versions;
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(value.toString()).setScale(3);
    }

    private static JsonPath totals(ServiceProcess instance) {
        return given().baseUri(instance.baseUri()).when().get("/totals").then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }
}
