package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * The system as a user meets it, all three services running as packaged processes on a real broker: the published
 * roster loads into the published totals, then a join posted to membership-service shows in reporting-service's
 * {@code GET /coalition}, through Kafka and metrics-service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JoinToCoalitionTest {

    private static final DevelopmentTokens TOKENS = DevelopmentTokens.newKeyPair();
    private static KafkaBroker broker;
    private static ServiceProcess membership;
    private static ServiceProcess metrics;
    private static ServiceProcess reporting;

    @BeforeAll
    static void startTheSystem() throws InterruptedException {
        broker = KafkaBroker.inFreshDirectory().start();
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("MP_JWT_VERIFY_PUBLICKEY", TOKENS.publicKeyPem());
        environment.put("MEMBERSHIP_JWT_ISSUER", DevelopmentTokens.ISSUER);
        environment.put("MEMBERSHIP_DB", PostgresDatabase.named("e2e_membership").recreate().name());
        environment.put("METRICS_DB", PostgresDatabase.named("e2e_metrics").recreate().name());
        environment.put("REPORTING_DB", PostgresDatabase.named("e2e_reporting").recreate().name());

        membership = ServiceProcess.start("membership-service", "MEMBERSHIP_HTTP_PORT", environment);
        environment.put("MEMBERSHIP_URL", membership.baseUri());
        metrics = ServiceProcess.start("metrics-service", "METRICS_HTTP_PORT", environment);
        reporting = ServiceProcess.start("reporting-service", "REPORTING_HTTP_PORT", environment);
        membership.awaitReady();
        metrics.awaitReady();
        reporting.awaitReady();
    }

    @AfterAll
    static void stopTheSystem() throws InterruptedException {
        for (ServiceProcess service : new ServiceProcess[] { membership, metrics, reporting }) {
            if (service != null) {
                service.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void theImportedRosterGivesThePublishedTotals() throws IOException {
        Path shared = Path.of(System.getProperty("coalition.root"), "..", "shared", "data");
        given().baseUri(membership.baseUri()).auth().oauth2(publisherToken()).contentType("text/csv")
                .body(Files.readString(shared.resolve("coalition-roster.csv")))
                .when().post("/clusters/import")
                .then().statusCode(200);

        // The newest published figures: as of 2025-01-22, when the roster was last complete.
        List<String> published = Files.readAllLines(shared.resolve("published-aggregates.csv"));
        String[] latest = published.get(published.size() - 1).split(",");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> coalition().getLong("clusters") == Long.parseLong(latest[1]));

        JsonPath coalition = coalition();
        assertThat(coalition.getLong("countries")).isEqualTo(Long.parseLong(latest[2]));
        assertThat(coalition.getObject("emissionsReductionMtPerYear", BigDecimal.class))
                .isEqualByComparingTo(latest[3]);
        assertThat(coalition.getLong("jobs")).isEqualTo(Long.parseLong(latest[4]));
        assertThat(coalition.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(latest[5]);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(metrics.baseUri())
                .when().get("/reconciliation")
                .then().statusCode(200).body("status", equalTo("EQUAL")));
    }

    @Test
    @Order(2)
    void aJoinChangesTheCoalitionTotals() {
        JsonPath before = coalition();

        given().baseUri(membership.baseUri()).auth().oauth2(publisherToken()).contentType(ContentType.JSON)
                .body("""
                        {"name": "Luleå Fossil-Free Steel Cluster", "country": "SE", "joinedOn": "2025-06-30",
                         "sectors": ["STEEL", "HYDROGEN"], "portAnchored": true,
                         "emissionsReductionMtPerYear": 15.846, "jobs": 69230, "gdpUsdBn": 10.000}""")
                .when().post("/clusters")
                .then().statusCode(201);
        long accepted = System.nanoTime();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> coalition().getLong("clusters") == before.getLong("clusters") + 1);
        System.out.printf("join accepted -> GET /coalition changed: %d ms%n", (System.nanoTime() - accepted) / 1_000_000);

        JsonPath after = coalition();
        assertThat(after.getLong("countries")).isEqualTo(before.getLong("countries"));
        assertThat(after.getObject("emissionsReductionMtPerYear", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("emissionsReductionMtPerYear", BigDecimal.class).add(new BigDecimal("15.846")));
        assertThat(after.getLong("jobs")).isEqualTo(before.getLong("jobs") + 69230);
        assertThat(after.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("gdpUsdBn", BigDecimal.class).add(new BigDecimal("10.000")));
        assertThat(after.getString("updatedAt")).isNotBlank();
        assertThat(after.getString("lastEventId")).isNotBlank();
    }

    @Test
    @Order(3)
    void aRevisionAndAWithdrawalMoveTheTotalsBackExactly() {
        JsonPath before = coalition();
        String location = given().baseUri(membership.baseUri()).auth().oauth2(publisherToken())
                .contentType(ContentType.JSON)
                .body("""
                        {"name": "Oxelösund Steel Cluster", "country": "SE", "joinedOn": "2025-06-30",
                         "sectors": ["STEEL"], "emissionsReductionMtPerYear": 5.000, "jobs": 2000, "gdpUsdBn": 1.000}""")
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");
        awaitClusters(before.getLong("clusters") + 1);

        given().auth().oauth2(publisherToken()).contentType(ContentType.JSON)
                .body("{\"emissionsReductionMtPerYear\": 7.250, \"jobs\": 2500, \"gdpUsdBn\": 1.125}")
                .when().patch(location + "/figures")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> coalition().getLong("jobs") == before.getLong("jobs") + 2500);
        JsonPath revised = coalition();
        assertThat(revised.getObject("emissionsReductionMtPerYear", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("emissionsReductionMtPerYear", BigDecimal.class).add(new BigDecimal("7.250")));
        assertThat(revised.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("gdpUsdBn", BigDecimal.class).add(new BigDecimal("1.125")));

        given().auth().oauth2(publisherToken()).contentType(ContentType.JSON).body("{\"withdrawnOn\": \"2025-07-31\"}")
                .when().post(location + "/withdrawal")
                .then().statusCode(200);
        awaitClusters(before.getLong("clusters"));
        JsonPath after = coalition();
        assertThat(after.getLong("jobs")).isEqualTo(before.getLong("jobs"));
        assertThat(after.getLong("countries")).isEqualTo(before.getLong("countries"));
        assertThat(after.getObject("emissionsReductionMtPerYear", BigDecimal.class))
                .isEqualByComparingTo(before.getObject("emissionsReductionMtPerYear", BigDecimal.class));
        assertThat(after.getObject("gdpUsdBn", BigDecimal.class))
                .isEqualByComparingTo(before.getObject("gdpUsdBn", BigDecimal.class));
    }

    @Test
    @Order(4)
    void reconciliationReportsTotalsThatTheRosterDoesNotExplain() throws Exception {
        // A join that membership-service never made, as if another producer wrote to the topic.
        String stray = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", stray, """
                    {"clusterId": "%s", "version": 1, "name": "Stray Cluster", "country": "NL",
                     "joinedOn": "2025-01-22", "sectors": ["GAS"], "emissionsReductionMtPerYear": 3.000,
                     "jobs": 300, "gdpUsdBn": 0.500}""".formatted(stray));
            record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", "org.coalitiontracker.ClusterJoined.v1".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(metrics.baseUri())
                .when().get("/reconciliation")
                .then().statusCode(200)
                .body("status", equalTo("DIFFERENT"))
                .body("differences.figure", hasItems("clusters", "jobs", "emissionsReductionMtPerYear", "gdpUsdBn")));
        JsonPath reconciliation = given().baseUri(metrics.baseUri()).when().get("/reconciliation")
                .then().extract().jsonPath();
        assertThat(reconciliation.getLong("totals.jobs") - reconciliation.getLong("roster.jobs")).isEqualTo(300);
        assertThat(reconciliation.getLong("totals.clusters") - reconciliation.getLong("roster.clusters")).isEqualTo(1);
    }

    private static void awaitClusters(long clusters) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> coalition().getLong("clusters") == clusters);
    }

    private static String publisherToken() {
        return TOKENS.token("end-to-end-test", "publisher");
    }

    private static JsonPath coalition() {
        return given().baseUri(reporting.baseUri()).when().get("/coalition")
                .then().statusCode(200).extract().jsonPath()
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }
}
