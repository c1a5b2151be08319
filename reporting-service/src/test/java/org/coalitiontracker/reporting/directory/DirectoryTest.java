package org.coalitiontracker.reporting.directory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.coalitiontracker.localinfra.ContractEvents;
import org.coalitiontracker.localinfra.Switchover;
import org.coalitiontracker.reporting.ScrapedMetric;
import org.coalitiontracker.reporting.coalition.TotalsTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The directory and the coalition's history, materialized from {@code cluster-events} alone. The only test of this
 * service that publishes cluster events, so the directory holds exactly what it publishes: the test of whole lists
 * runs first.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryTest {

    /** The directory's indexes for searches and filters (V2, V7, V8). */
    private static final String[] DIRECTORY_INDEXES = { "cluster_entry_joined", "cluster_entry_name_key_trigrams",
            "cluster_entry_country", "cluster_entry_region", "cluster_entry_sectors" };

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    Pool pool;

    @Inject
    TimelineReplay replay;

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
    @Order(1)
    void theDirectoryAndTheHistoryFollowJoinsRevisionsAndWithdrawals() {
        ObjectNode humber = ContractEvents.joined("Zero Carbon Humber", "GB", "EUROPE", "2021-11-02",
                List.of("CCS", "HYDROGEN"),
                "41.750", 137500, "22.750");
        ObjectNode kwinana = ContractEvents.joined("Kwinana Industries Council", "AU", "OCEANIA", "2022-05-24",
                List.of("STEEL"),
                "10.000", 100, "1.000");
        ObjectNode teesside = ContractEvents.joined("Teesside Steel Cluster", "GB", "EUROPE", "2024-01-16", List.of("STEEL"),
                "5.000", 50, "0.500");
        publish(humber, ContractEvents.JOINED);
        publish(kwinana, ContractEvents.JOINED);
        publish(teesside, ContractEvents.JOINED);
        publish(humber, ContractEvents.JOINED);
        publish(ContractEvents.revised(kwinana, 2, ContractEvents.figures("10.000", 100, "1.000"),
                ContractEvents.figures("20.000", 200, "2.000")), ContractEvents.REVISED);
        publish(ContractEvents.withdrawn(teesside, 2, "2024-06-30", ContractEvents.figures("5.000", 50, "0.500")),
                ContractEvents.WITHDRAWN);

        String kwinanaId = kwinana.get("clusterId").asText();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/clusters/" + kwinanaId)
                .then().statusCode(200).body("jobs", equalTo(200)).body("version", equalTo(2))
                .body("figuresBasis", equalTo("apportioned: test figures")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/clusters")
                .then().statusCode(200).body("total", equalTo(2))
                .body("clusters.name", contains("Kwinana Industries Council", "Zero Carbon Humber")));
        // Each cluster's page lists every version once: Humber's join was delivered twice.
        given().when().get("/clusters/" + kwinanaId + "/versions").then().statusCode(200)
                .body("version", contains(1, 2)).body("change", contains("JOINED", "FIGURES_REVISED"))
                .body("jobs", contains(100, 200)).body("emissionsReductionMtPerYear", contains(10.0f, 20.0f));
        given().when().get("/clusters/" + teesside.get("clusterId").asText() + "/versions").then().statusCode(200)
                .body("change", contains("JOINED", "WITHDRAWN")).body("withdrawnOn", contains(null, "2024-06-30"));
        given().when().get("/clusters/" + humber.get("clusterId").asText() + "/versions").then().statusCode(200)
                .body("version", contains(1));
        given().when().get("/clusters/" + UUID.randomUUID() + "/versions").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/clusters?withdrawn=true").then().statusCode(200)
                .body("clusters.name", contains("Teesside Steel Cluster", "Kwinana Industries Council",
                        "Zero Carbon Humber"))
                .body("clusters[0].withdrawnOn", equalTo("2024-06-30"));
        given().when().get("/clusters?sector=STEEL").then().body("clusters.name",
                contains("Kwinana Industries Council"));
        given().when().get("/clusters?country=GB&region=EUROPE").then().body("clusters.name",
                contains("Zero Carbon Humber"));
        given().when().get("/clusters?q=HUMB").then().body("clusters.name", contains("Zero Carbon Humber"));
        given().when().get("/clusters?cohort=2022").then().body("clusters.name",
                contains("Kwinana Industries Council"));

        // A revision replaces the figures for the whole membership; a withdrawal counts from its date on.
        given().when().get("/coalition?asOf=2024-03-01").then().statusCode(200)
                .body("clusters", equalTo(3)).body("countries", equalTo(2)).body("jobs", equalTo(137750));
        given().when().get("/coalition?asOf=2024-06-30").then().statusCode(200)
                .body("clusters", equalTo(2)).body("jobs", equalTo(137700))
                .body("updatedAt", nullValue());
        given().when().get("/coalition?asOf=2021-11-01").then().statusCode(200)
                .body("clusters", equalTo(0)).body("countries", equalTo(0));
        // The breakdowns as of a date count by the same dates: Teesside's steel is in until its withdrawal.
        given().queryParam("asOf", "2024-03-01").when().get("/coalition/sectors").then().statusCode(200)
                .body("name", contains("CCS", "HYDROGEN", "STEEL")).body("clusters", contains(1, 1, 2))
                .body("countries", contains(1, 1, 2)).body("jobs", contains(137500, 137500, 250))
                .body("updatedAt", everyItem(nullValue()));
        given().queryParam("asOf", "2024-06-30").queryParam("sort", "jobs").when().get("/coalition/countries").then()
                .statusCode(200).body("name", contains("GB", "AU")).body("clusters", contains(1, 1))
                .body("[0]", not(hasKey("countries")));
        given().queryParam("asOf", "2024-06-30").when().get("/coalition/regions").then()
                .body("name", contains("EUROPE", "OCEANIA")).body("countries", contains(1, 1));
        given().queryParam("asOf", "2024-06-30").when().get("/coalition/cohorts").then()
                .body("name", contains("2021", "2022"));
        given().queryParam("asOf", "2021-11-01").when().get("/coalition/countries").then().statusCode(200)
                .body("$", hasSize(0));
        String sectorsTag = given().queryParam("asOf", "2024-03-01").when().get("/coalition/sectors").then()
                .extract().header("ETag");
        given().header("If-None-Match", sectorsTag).queryParam("asOf", "2024-03-01").when().get("/coalition/sectors")
                .then().statusCode(304);
        given().header("If-None-Match", sectorsTag).queryParam("asOf", "2024-06-30").when().get("/coalition/sectors")
                .then().statusCode(200);
        given().when().get("/coalition/history").then().statusCode(200).contentType(ContentType.JSON)
                .body("asOf", contains("2021-11-02", "2022-05-24", "2024-01-16", "2024-06-30"))
                .body("clusters", contains(1, 2, 3, 2))
                .body("countries", contains(1, 2, 2, 2));
        given().queryParam("resolution", "year").when().get("/coalition/history").then().statusCode(200)
                .body("asOf", contains("2021-11-02", "2022-05-24", "2024-06-30")).body("clusters", contains(1, 2, 2));
        given().queryParam("from", "2022-01-01").queryParam("to", "2024-03-01").when().get("/coalition/history")
                .then().statusCode(200).body("asOf", contains("2022-05-24", "2024-01-16"));
        String historyTag = given().when().get("/coalition/history").then().extract().header("ETag");
        given().header("If-None-Match", historyTag).when().get("/coalition/history").then().statusCode(304);
        given().header("If-None-Match", historyTag).queryParam("resolution", "year").when().get("/coalition/history")
                .then().statusCode(200);

        String csv = given().when().get("/coalition/export.csv").then().statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"coalition.csv\"")).extract().asString();
        assertThat(csv.lines().toList()).containsExactly(
                "cluster_id,name,country,region,joined_on,withdrawn_on,sectors,port_anchored,"
                        + "emissions_reduction_mt_per_year,jobs,gdp_usd_bn,figures_basis",
                humber.get("clusterId").asText()
                        + ",Zero Carbon Humber,GB,EUROPE,2021-11-02,,CCS;HYDROGEN,true,41.750,137500,22.750,"
                        + "apportioned: test figures",
                kwinana.get("clusterId").asText()
                        + ",Kwinana Industries Council,AU,OCEANIA,2022-05-24,,STEEL,true,20.000,200,2.000,"
                        + "apportioned: test figures",
                teesside.get("clusterId").asText()
                        + ",Teesside Steel Cluster,GB,EUROPE,2024-01-16,2024-06-30,STEEL,true,5.000,50,0.500,"
                        + "apportioned: test figures");
        byte[] forExcel = given().queryParam("bom", true).when().get("/coalition/export.csv").then().statusCode(200)
                .contentType(containsString("charset=UTF-8")).extract().asByteArray();
        assertThat(new String(forExcel, StandardCharsets.UTF_8)).isEqualTo("\uFEFF" + csv);
        given().queryParam("bom", "maybe").when().get("/coalition/export.csv").then().statusCode(400)
                .contentType("application/problem+json");

        // A polling client pays a 304 until the directory changes.
        String etag = given().when().get("/clusters").then().statusCode(200)
                .header("Cache-Control", equalTo("no-cache")).extract().header("ETag");
        given().header("If-None-Match", etag).when().get("/clusters").then().statusCode(304);
        publish(ContractEvents.revised(humber, 2, ContractEvents.figures("41.750", 137500, "22.750"),
                ContractEvents.figures("42.000", 137600, "23.000")), ContractEvents.REVISED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("If-None-Match", etag)
                .when().get("/clusters").then().statusCode(200).body("clusters[1].jobs", equalTo(137600)));
    }

    @Test
    @Order(2)
    void recordsTheDirectoryCanNeverHoldAreDeadLetteredAndTheDirectoryGoesOn() {
        ConsumerTask<byte[], byte[]> deadLetters = kafka.consume(byte[].class, byte[].class)
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("cluster-events.reporting.dlq");
        // What metrics-service refuses too (the one rule of the event contracts)...
        ObjectNode tooLarge = joined("Too Large").put("emissionsReductionMtPerYear", new BigDecimal("1000000000.000"));
        publish(tooLarge, ContractEvents.JOINED);
        ObjectNode farPast = joined("Far Past").put("joinedOn", "-5000-01-01");
        publish(farPast, ContractEvents.JOINED);
        String notJson = UUID.randomUUID().toString();
        publish(notJson, "this is not JSON", ContractEvents.JOINED);
        ObjectNode otherKey = joined("Under Another Key");
        String anotherCluster = UUID.randomUUID().toString();
        publish(anotherCluster, otherKey.toString(), ContractEvents.JOINED);
        // ...and a record the rule lets through but this database refuses for good (a check this test adds).
        ObjectNode refused = joined("Refused By The Directory").put("jobs", 4242);
        pool.query("ALTER TABLE cluster_entry ADD CONSTRAINT no_4242_jobs CHECK (jobs <> 4242)").execute().await()
                .indefinitely();
        try {
            publish(refused, ContractEvents.JOINED);
            ObjectNode after = joined("After The Poison");
            publish(after, ContractEvents.JOINED);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when()
                    .get("/clusters/" + after.get("clusterId").asText()).then().statusCode(200)
                    .body("name", equalTo("After The Poison")));
            await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.getRecords().size() >= 5);
        } finally {
            pool.query("ALTER TABLE cluster_entry DROP CONSTRAINT no_4242_jobs").execute().await().indefinitely();
        }
        Map<String, String> reasons = new HashMap<>();
        deadLetters.getRecords().forEach(record -> reasons.put(new String(record.key(), StandardCharsets.UTF_8),
                new String(record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)));
        assertThat(reasons.get(tooLarge.get("clusterId").asText())).isEqualTo("invalid ClusterJoined: "
                + "emissionsReductionMtPerYear and gdpUsdBn must be between 0 and 10000.000 with at most 3 decimals");
        assertThat(reasons.get(farPast.get("clusterId").asText()))
                .isEqualTo("invalid ClusterJoined: joinedOn must be between 1900-01-01 and 9999-12-31");
        assertThat(reasons.get(notJson)).startsWith("not a readable ClusterJoined: ");
        assertThat(reasons.get(anotherCluster)).startsWith("invalid ClusterJoined: the record's key must be");
        assertThat(reasons.get(refused.get("clusterId").asText())).startsWith("the database refused it: ")
                .contains("no_4242_jobs");
        given().when().get("/clusters/" + tooLarge.get("clusterId").asText()).then().statusCode(404);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().body(containsString(
                "records_dead_lettered_total{topic=\"cluster-events\"} 5.0"));
        deadLetters.stop();
    }

    @Test
    @Order(3)
    void theExportNeverHandsASpreadsheetAFormulaToRun() {
        List<String> formulas = List.of("=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)");
        for (String name : formulas) {
            publish(joined(name).put("figuresBasis", "=cmd|' /C calc'!A0"), ContractEvents.JOINED);
        }
        // Each on the partition of its cluster, so each reaches the directory in its own time.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String csv = given().when().get("/coalition/export.csv").then().statusCode(200).extract().asString();
            for (String name : formulas) {
                assertThat(csv.lines().filter(line -> line.contains(name.substring(1, 4))).findFirst())
                        .as(name).hasValueSatisfying(line -> assertThat(line).matches("[0-9a-f-]{36},\"?'.*")
                                .contains(",'=cmd|' /C calc'!A0"));
            }
        });
    }

    /**
     * The totals turn stale once they lag the directory without moving, and fresh again as soon as they move: they
     * are catching up.
     */
    @Test
    @Order(5)
    void theTotalsTurnStaleWhileTheyLagTheDirectoryAndFreshWhenTheyCatchUp() {
        try (TotalsTopic totals = new TotalsTopic(bootstrapServers)) {
            totals.publish(coalitionAsTheDirectoryHasIt(totals));
            // Fresh while they agree, also once they have not moved for longer than the test profile's threshold (2 s).
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when()
                    .get("/coalition").then().body("freshness.stale", equalTo(false)));
            given().when().get("/q/health/well").then().statusCode(200);

            // A join reaches the directory, and the totals (as if metrics-service had stalled) never take it in.
            publish(joined("Never Counted"), ContractEvents.JOINED);
            awaitStale("metrics-service may be stalled");
            given().when().get("/q/health/live").then().statusCode(200);

            // Totals that move are catching up: the first answer that shows them is fresh, before any check runs.
            ObjectNode caughtUp = coalitionAsTheDirectoryHasIt(totals);
            totals.publish(caughtUp);
            JsonPath first = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> given().when().get("/coalition").then().extract().jsonPath(), answer -> caughtUp
                            .get("causedByEventId").asText().equals(answer.getString("lastEventId")));
            assertThat(first.getBoolean("freshness.stale")).as(first.prettify()).isFalse();
            awaitFresh();
        }
    }

    /**
     * A switchover as the service sees it: its connections are dropped and the new ones reach a standby (here, a
     * database whose sessions start read-only), where the directory's write of a join fails and is retried: the totals
     * turn stale with that reason (they still agree with the directory, which lacks the join) and the wait shows on the
     * gauge. Then the primary is back while the connections already made stay read-only, as on a standby that
     * stays one: the pool replaces every one of them (its max-lifetime; the switchover's close waits for that), and the
     * join is listed.
     */
    @Test
    @Order(5)
    void aWriteOnAStandbyShowsAsStaleAndIsWrittenOnceThePrimaryIsBack() throws Exception {
        try (TotalsTopic totals = new TotalsTopic(bootstrapServers)) {
            totals.publish(coalitionAsTheDirectoryHasIt(totals));
            awaitFresh();
            try (Switchover switchover = Switchover.start()) {
                publish(joined("Standby Written"), ContractEvents.JOINED);
                awaitStale("A write of the views has failed and been retried since");
                assertThat(ScrapedMetric.value("views_oldest_write_age_seconds")).isGreaterThan(2);
                given().queryParam("q", "Standby Written").when().get("/clusters").then().body("total", equalTo(0));
            }
            awaitListed("Standby Written");
            assertThat(ScrapedMetric.value("views_oldest_write_age_seconds")).isLessThan(2);
            totals.publish(coalitionAsTheDirectoryHasIt(totals));
            awaitFresh();
        }
    }

    /**
     * A write that waits for a lock held on the directory or its timeline (a migration's, an operator's statement) has
     * not failed, yet the directory is behind: the totals turn stale with that reason while the directory still answers
     * reads, and the join is listed once the lock goes. A lock that holds reads of the timeline too would hold the
     * freshness check's own read: the check gives that read up after its interval, and the write still shows.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "LOCK TABLE cluster_entry IN SHARE MODE            | Written After A Directory Lock",
            "LOCK TABLE scope_period IN ACCESS EXCLUSIVE MODE  | Written After A Timeline Lock" })
    @Order(5)
    void aWriteThatWaitsForALockShowsAsStaleAndIsWrittenOnceTheLockGoes(String lock, String name) {
        try (TotalsTopic totals = new TotalsTopic(bootstrapServers)) {
            totals.publish(coalitionAsTheDirectoryHasIt(totals));
            awaitFresh();
            SqlConnection locker = pool.getConnection().await().indefinitely();
            try {
                locker.query("BEGIN").execute().await().indefinitely();
                locker.query(lock).execute().await().indefinitely();
                publish(joined(name), ContractEvents.JOINED);
                awaitStale("A write of the views has been under way since");
                assertThat(ScrapedMetric.value("views_oldest_write_age_seconds")).isGreaterThan(2);
                given().queryParam("q", name).when().get("/clusters").then().body("total", equalTo(0));
            } finally {
                locker.query("ROLLBACK").execute().await().indefinitely();
                locker.close().await().indefinitely();
            }
            awaitListed(name);
            assertThat(ScrapedMetric.value("views_oldest_write_age_seconds")).isLessThan(2);
            totals.publish(coalitionAsTheDirectoryHasIt(totals));
            awaitFresh();
        }
    }

    /**
     * A timeline that waits for a replay far longer than one takes (its end lost) makes the totals stale with that
     * reason, rather than the history and the breakdowns as of a date stopping unseen; fresh again once it ends.
     */
    @Test
    @Order(5)
    void aTimelineThatWaitsForAReplayLongerThanTheLimitMakesTheTotalsStale() {
        try (TotalsTopic totals = new TotalsTopic(bootstrapServers)) {
            totals.publish(coalitionAsTheDirectoryHasIt(totals));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition").then()
                    .body("freshness.stale", equalTo(false)));
        }
        // A replay of a partition this test's broker does not have, begun an hour ago (the limit is ten minutes).
        pool.query("INSERT INTO timeline_replay (partition, until_offset, since) VALUES (99, 1, now() - interval '1 hour')")
                .execute().await().indefinitely();
        awaitStale("the directory's replay may be stalled");

        // Ended as a consumer that has read the partition ends it: the timeline is computed from the whole directory.
        replay.reached(99, 1).await().indefinitely();
        awaitFresh();
    }

    /**
     * A replay's end computes the timeline from the whole directory, its totals by date and its countries (their spans,
     * read on a second connection) alike; what the directory takes in after it, the timeline follows, so each cluster
     * counts once.
     */
    @Test
    @Order(5)
    void aReplaysEndCountsWhatTheTimelineWaitedForAndWhatCameAfterItOnce() {
        String date = "2020-02-21";
        int clusters = asOf(date).getInt("clusters");
        int countries = asOf(date).getInt("countries");
        int inPorts = portClusters(date);
        pool.query("INSERT INTO timeline_replay (partition, until_offset) VALUES (97, 1)").execute().await()
                .indefinitely();

        publish(ContractEvents.joined("Apia Waited", "WS", "OCEANIA", "2020-02-20", List.of("PORT_LOGISTICS"),
                "1.000", 1, "1.000"), ContractEvents.JOINED);
        awaitListed("Apia Waited");
        assertThat(asOf(date).getInt("clusters")).as("the timeline waits for the replay").isEqualTo(clusters);

        replay.reached(97, 1).await().indefinitely();
        assertThat(asOf(date).getInt("clusters")).isEqualTo(clusters + 1);
        assertThat(asOf(date).getInt("countries")).isEqualTo(countries + 1);
        assertThat(portClusters(date)).as("the sectors' days, computed on the side connection").isEqualTo(inPorts + 1);

        publish(ContractEvents.joined("Apia Followed", "WS", "OCEANIA", date, List.of("PORT_LOGISTICS"), "1.000", 1,
                "1.000"), ContractEvents.JOINED);
        awaitListed("Apia Followed");
        assertThat(asOf(date).getInt("clusters")).isEqualTo(clusters + 2);
        assertThat(asOf(date).getInt("countries")).isEqualTo(countries + 1);
        given().queryParam("asOf", date).when().get("/coalition/countries").then().statusCode(200)
                .body("find { it.name == 'WS' }.clusters", equalTo(2));
        given().queryParam("asOf", "2020-02-20").when().get("/coalition/countries").then().statusCode(200)
                .body("find { it.name == 'WS' }.clusters", equalTo(1));
    }

    /**
     * The directory's consumers write side by side, and one poll's batch can take several statements (a round per
     * event of a cluster; an insert that updates fires two triggers). Two batches whose statements reach each other's
     * countries in turn both commit, one after the other, and the timeline counts both (V28): V20 locked each
     * statement's countries only, and one of them failed on a deadlock.
     */
    @Test
    @Order(5)
    void twoBatchesThatReachEachOthersCountriesInTurnBothCommit() {
        String date = "2020-03-10";
        assertThat(pool.query("SELECT count(*) FROM timeline_replay").execute().await().indefinitely().iterator()
                .next().getLong(0)).as("replays waiting").isZero();
        int clusters = asOf(date).getInt("clusters");
        SqlConnection first = pool.getConnection().await().indefinitely();
        SqlConnection second = pool.getConnection().await().indefinitely();
        try {
            first.query("BEGIN").execute().await().indefinitely();
            second.query("BEGIN").execute().await().indefinitely();
            int secondProcess = second.query("SELECT pg_backend_pid()").execute().await().indefinitely().iterator()
                    .next().getInteger(0);
            enter(first, "Turns First Fiji", "FJ", date).await().indefinitely();
            CompletableFuture<Void> secondBatch = enter(second, "Turns Second Tonga", "TO", date)
                    .chain(() -> enter(second, "Turns Second Fiji", "FJ", date))
                    .chain(() -> second.query("COMMIT").execute()).replaceWithVoid().subscribeAsCompletionStage();
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.preparedQuery(
                    "SELECT wait_event_type = 'Lock' AS waits FROM pg_stat_activity WHERE pid = $1")
                    .execute(Tuple.of(secondProcess)).await().indefinitely().iterator().next().getBoolean("waits"));
            CompletableFuture<Void> firstBatch = enter(first, "Turns First Tonga", "TO", date)
                    .chain(() -> first.query("COMMIT").execute()).replaceWithVoid().subscribeAsCompletionStage();

            assertThat(firstBatch).as("the first batch").succeedsWithin(Duration.ofSeconds(10));
            assertThat(secondBatch).as("the second batch").succeedsWithin(Duration.ofSeconds(10));
            given().queryParam("q", "Turns").when().get("/clusters").then().body("total", equalTo(4));
            assertThat(asOf(date).getInt("clusters")).isEqualTo(clusters + 4);
        } finally {
            first.query("ROLLBACK").execute().await().indefinitely();
            second.query("ROLLBACK").execute().await().indefinitely();
            first.close().await().indefinitely();
            second.close().await().indefinitely();
            pool.query("DELETE FROM cluster_entry WHERE name LIKE 'Turns %'").execute().await().indefinitely();
        }
        assertThat(asOf(date).getInt("clusters")).isEqualTo(clusters);
    }

    /** One statement of a batch: an entry of that name and country, joined on the date. */
    private static Uni<RowSet<Row>> enter(SqlConnection connection, String name, String country, String date) {
        return connection.preparedQuery("""
                INSERT INTO cluster_entry (cluster_id, version, name, country, region, sectors, joined_on,
                    emissions_reduction_mt_per_year, jobs, gdp_usd_bn)
                VALUES (gen_random_uuid(), 1, $1, $2, 'OCEANIA', '{PORT_LOGISTICS}', $3, 1, 1, 1)""")
                .execute(Tuple.of(name, country, LocalDate.parse(date)));
    }

    /** The clusters in port logistics as of the date, by the sectors' breakdown. */
    private static int portClusters(String date) {
        Integer clusters = given().queryParam("asOf", date).when().get("/coalition/sectors").then().statusCode(200)
                .extract().path("find { it.name == 'PORT_LOGISTICS' }.clusters");
        return clusters == null ? 0 : clusters;
    }

    /** The coalition's totals as of the date. */
    private static JsonPath asOf(String date) {
        return given().queryParam("asOf", date).when().get("/coalition").then().statusCode(200).extract().jsonPath();
    }

    /** Waits for the directory to list the cluster of that name. */
    private static void awaitListed(String name) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("q", name).when()
                .get("/clusters").then().body("total", equalTo(1)));
    }

    /** Waits for the totals to turn stale for the reason, on the response, the wellness check and the gauge. */
    private static void awaitStale(String reason) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition").then()
                .body("freshness.stale", equalTo(true))
                .body("freshness.reasons[0]", containsString(reason)));
        given().when().get("/q/health/well").then().statusCode(503);
        given().when().get("/q/metrics").then().body(containsString("coalition_totals_stale 1.0"));
    }

    /** Waits for the totals to be fresh again, on the response and the wellness check. */
    private static void awaitFresh() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition").then()
                .body("freshness.stale", equalTo(false)));
        given().when().get("/q/health/well").then().statusCode(200);
    }

    /**
     * While the directory is read again from the start, its search and filter indexes wait (V17): the directory still
     * answers, nothing builds them while the replay goes on, and its end builds them all again, after the timeline
     * (V18); so does a consumer that starts when a replay is over and finds them missing (a restart in between).
     */
    @Test
    @Order(5)
    void aReplayBuildsTheDirectorysIndexesAtItsEnd() {
        pool.query("SELECT directory_indexes_wait()").execute().await().indefinitely();
        assertThat(directoryIndexes()).isEmpty();
        given().queryParam("q", "SUM(A1)").when().get("/clusters").then().body("total", equalTo(1));

        pool.query("INSERT INTO timeline_replay (partition, until_offset) VALUES (98, 1)").execute().await()
                .indefinitely();
        assertThat(indexesBuilt()).isFalse();
        assertThat(directoryIndexes()).isEmpty();

        replay.reached(98, 1).await().indefinitely();
        assertThat(directoryIndexes()).containsExactlyInAnyOrder(DIRECTORY_INDEXES);

        pool.query("SELECT directory_indexes_wait()").execute().await().indefinitely();
        assertThat(indexesBuilt()).isTrue();
        assertThat(directoryIndexes()).containsExactlyInAnyOrder(DIRECTORY_INDEXES);
        assertThat(indexesBuilt()).isFalse();
    }

    /**
     * The search index and the filter indexes are built side by side (V26): while the filter indexes are being built,
     * the search index is built too, and each call builds only what is its own.
     */
    @Test
    @Order(5)
    void theSearchIndexIsBuiltBesideTheFilterIndexes() {
        pool.query("SELECT directory_indexes_wait()").execute().await().indefinitely();
        SqlConnection filters = pool.getConnection().await().indefinitely();
        try {
            filters.query("BEGIN").execute().await().indefinitely();
            assertThat(indexesBuilt(filters, false)).isTrue();

            assertThat(indexesBuilt(pool, true)).isTrue();
            assertThat(directoryIndexes()).containsExactly("cluster_entry_name_key_trigrams");
        } finally {
            // Committed whatever the asserts found: the connection goes back to the pool without its locks.
            filters.query("COMMIT").execute().await().indefinitely();
            filters.close().await().indefinitely();
        }
        assertThat(directoryIndexes()).containsExactlyInAnyOrder(DIRECTORY_INDEXES);
        assertThat(indexesBuilt()).isFalse();
    }

    /** Builds the directory's missing indexes, as a consumer does when it starts; whether it built any. */
    private Boolean indexesBuilt() {
        return indexesBuilt(pool, true) | indexesBuilt(pool, false);
    }

    /** Builds the directory's missing search index ({@code search}) or filter indexes; whether it built any. */
    private static boolean indexesBuilt(SqlClient database, boolean search) {
        return database.preparedQuery("SELECT directory_indexes_build($1) AS built").execute(Tuple.of(search))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getBoolean("built");
    }

    /** The directory's indexes for searches and filters that exist. */
    private List<String> directoryIndexes() {
        List<String> names = new ArrayList<>();
        pool.query("""
                SELECT indexname FROM pg_indexes WHERE tablename = 'cluster_entry'
                    AND indexname NOT IN ('cluster_entry_pkey', 'cluster_entry_withdrawn')""").execute().await()
                .indefinitely().forEach(row -> names.add(row.getString("indexname")));
        return names;
    }

    /** Coalition totals equal to what the directory's members add up to. */
    private ObjectNode coalitionAsTheDirectoryHasIt(TotalsTopic totals) {
        Row row = pool.query("""
                SELECT count(*), count(DISTINCT country), coalesce(sum(emissions_reduction_mt_per_year), 0),
                       coalesce(sum(jobs), 0), coalesce(sum(gdp_usd_bn), 0)
                FROM cluster_entry WHERE withdrawn_on IS NULL""").execute().await().indefinitely().iterator().next();
        return totals.totals("coalition", TotalsTopic.nextVersion(), UUID.randomUUID().toString(), row.getLong(0),
                row.getLong(1), row.getBigDecimal(2).setScale(3).toPlainString(), row.getLong(3),
                row.getBigDecimal(4).setScale(3).toPlainString());
    }

    @ParameterizedTest(name = "{0} is a bad request naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /coalition?asOf=2024-13-01                 | asOf
            /coalition?asOf=-999999999-01-01           | asOf
            /clusters?after=yesterday                  | after
            /clusters?after=2025-02-30_1               | after
            /clusters?page=101&size=100                | page
            /clusters?page=1&after=2025-01-22_1        | page
            /coalition/history?resolution=fortnight    | resolution
            /coalition/history?from=1899-12-31         | from
            /coalition/history?to=2024-02-30           | to
            /coalition/history?from=2025-01-01&to=2024-12-31 | to
            /clusters/not-a-uuid                       | id
            /clusters?size=1000                        | size
            /clusters?size=abc                         | size
            /clusters?cohort=abc                       | cohort
            /clusters?page=2147483647&size=100         | page
            /clusters?withdrawn=yes                    | withdrawn
            /clusters?country=Brazil                   | country
            /clusters?q=%00                            | q
            /coalition/sectors?sort=size               | sort
            /coalition/sectors?asOf=1899-12-31         | asOf
            /coalition/cohorts?asOf=2024-02-30         | asOf
            /coalition/countries/gbr                   | country
            """)
    void aParameterThatCannotBeReadIsABadRequestNamingIt(String path, String parameter) {
        given().urlEncodingEnabled(false).when().get(path).then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", contains(parameter));
    }

    @Test
    @Order(4)
    void aSearchIsTakenLiterally() {
        given().when().get("/clusters/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        long members = given().when().get("/clusters").then().extract().jsonPath().getLong("total");
        assertThat(members).isPositive();
        for (String wildcard : List.of("%", "_", "!")) {
            given().queryParam("q", wildcard).when().get("/clusters").then().statusCode(200)
                    .body("total", equalTo(0));
        }
        given().queryParam("q", "+1+").when().get("/clusters").then().body("clusters.name", contains("+1+1"));
    }

    @Test
    @Order(5)
    void aSearchIgnoresCaseAndAccents() {
        publish(ContractEvents.joined("Bahía de Cádiz Ｈｕｂ", "ES", "EUROPE", "2025-01-22", List.of("CHEMICALS"), "1.000", 1,
                "1.000"), ContractEvents.JOINED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("q", "cadiz").when()
                .get("/clusters").then().body("clusters.name", contains("Bahía de Cádiz Ｈｕｂ")));
        for (String q : List.of("CÁDIZ", "bahia de cadiz hub", "Bahi\u0301a", "ＣＡＤＩＺ")) {
            given().queryParam("q", q).when().get("/clusters").then().statusCode(200)
                    .body("clusters.name", contains("Bahía de Cádiz Ｈｕｂ"));
        }
        given().queryParam("q", "cadix").when().get("/clusters").then().body("total", equalTo(0));
        given().queryParam("q", "％").when().get("/clusters").then().body("total", equalTo(0));
    }

    /** Letters that Unicode does not split into a base and an accent fold as a reader types them, in any case. */
    @Test
    @Order(5)
    void aSearchFoldsLettersWithoutADecompositionInAnyCase() {
        Map<String, List<String>> searches = Map.of(
                "Łódź Steel Basin", List.of("lodz", "LODZ", "łódź"),
                "Øresund Straße Ærø Hub", List.of("oresund", "strasse", "STRAßE", "aero"),
                "ΘΕΣΣΑΛΟΝΊΚΗ Port", List.of("θεσσαλονικη", "Θεσσαλονίκη"));
        searches.keySet().forEach(name -> publish(joined(name), ContractEvents.JOINED));
        searches.keySet().forEach(DirectoryTest::awaitListed);
        searches.forEach((name, queries) -> queries.forEach(q -> given().queryParam("q", q).when().get("/clusters")
                .then().statusCode(200).body("clusters.name", contains(name))));
    }

    @Test
    @Order(7)
    void pagesFollowOneAnotherByNextAndCountWhatMatches() {
        for (Map<String, Object> filter : List.<Map<String, Object>> of(Map.of(), Map.of("withdrawn", true),
                Map.of("country", "GB", "withdrawn", true), Map.of("q", "hostile"))) {
            JsonPath whole = given().queryParams(filter).queryParam("size", 100).when().get("/clusters").then()
                    .statusCode(200).body("next", nullValue()).extract().jsonPath();
            List<String> every = whole.getList("clusters.clusterId");
            assertThat(every).as("%s", filter).isNotEmpty();
            assertThat(whole.getLong("total")).as("%s", filter).isEqualTo(every.size());

            List<String> paged = new ArrayList<>();
            String next = null;
            do {
                RequestSpecification page = given().queryParams(filter).queryParam("size", 2);
                JsonPath answer = (next == null ? page : page.queryParam("after", next)).when().get("/clusters")
                        .then().statusCode(200).extract().jsonPath();
                paged.addAll(answer.getList("clusters.clusterId"));
                next = answer.getString("next");
            } while (next != null);
            assertThat(paged).as("%s", filter).containsExactlyElementsOf(every);
        }
    }

    /** Past 10,000 matches a filter is not counted (the count would read them all), and the pages still go on. */
    @Test
    @Order(8)
    void aFilterMatchingMoreThanTenThousandIsNotCountedAndItsPagesGoOn() {
        pool.query("""
                INSERT INTO cluster_entry (cluster_id, version, name, country, region, sectors, joined_on,
                    emissions_reduction_mt_per_year, jobs, gdp_usd_bn)
                SELECT gen_random_uuid(), 1, 'Many ' || i, 'IS', 'EUROPE', '{POWER}', date '2023-03-01', 1, 1, 1
                FROM generate_series(1, 10001) i""").execute().await().indefinitely();
        try {
            long members = given().when().get("/clusters").then().extract().jsonPath().getLong("total");
            assertThat(members).isGreaterThan(10_001);
            JsonPath first = given().queryParam("country", "IS").queryParam("size", 100).when().get("/clusters")
                    .then().statusCode(200).body("total", nullValue()).extract().jsonPath();
            given().queryParam("country", "IS").queryParam("size", 100).queryParam("after", first.getString("next"))
                    .when().get("/clusters").then().statusCode(200).body("clusters", hasSize(100))
                    .body("clusters[0].name", not(equalTo(first.getString("clusters[99].name"))));
            given().queryParam("country", "IS").queryParam("q", "many 9999").when().get("/clusters").then()
                    .statusCode(200).body("total", equalTo(1));
        } finally {
            pool.query("DELETE FROM cluster_entry WHERE country = 'IS'").execute().await().indefinitely();
        }
    }

    /**
     * A time PostgreSQL cannot hold, or no time at all, in ce_time: the version is kept, without a time. One it can
     * hold is the version's time, in UTC.
     */
    @Test
    @Order(6)
    void aVersionWhoseEventTimeCannotBeStoredIsKeptWithoutATime() {
        Map<String, String> kept = new LinkedHashMap<>();
        kept.put("2025-01-22T11:30:00+01:00", "2025-01-22T10:30:00Z");
        for (String time : List.of("+1000000000-01-01T00:00:00Z", "not a time", "-4713-11-24T00:00:00Z")) {
            kept.put(time, null);
        }
        kept.forEach((time, happenedAt) -> {
            ObjectNode event = joined("Hostile Time " + time);
            ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events",
                    event.get("clusterId").asText(), event.toString());
            record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                    .add("ce_type", bytes(ContractEvents.JOINED)).add("ce_time", bytes(time))
                    .add("ce_source", bytes("urn:coalition-tracker:membership-service"));
            kafka.produceStrings().fromRecords(List.of(record)).awaitCompletion();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                    .when().get("/clusters/" + event.get("clusterId").asText() + "/versions").then().statusCode(200)
                    .body("change", contains("JOINED")).body("happenedAt", contains((Object) happenedAt)));
        });
    }

    /**
     * Records come in batches, written together: one the database refuses among many is dead-lettered alone, and a
     * cluster's join and revision in the same batch make its entry as they would one after the other.
     */
    @Test
    @Order(9)
    void aRecordTheDatabaseRefusesAmongManyIsDeadLetteredAlone() {
        ConsumerTask<byte[], byte[]> deadLetters = kafka.consume(byte[].class, byte[].class)
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("cluster-events.reporting.dlq");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        ObjectNode refused = joined("Batch Refused").put("jobs", 4242);
        ObjectNode revisedInTheBatch = joined("Batch Revised");
        for (int i = 0; i < 40; i++) {
            ObjectNode event = i == 17 ? refused : i == 23 ? revisedInTheBatch : joined("Batch Member " + i);
            records.add(record(event.get("clusterId").asText(), event.toString(), ContractEvents.JOINED));
            if (event != refused) {
                accepted.add(event.get("clusterId").asText());
            }
        }
        ObjectNode revision = ContractEvents.revised(revisedInTheBatch, 2, ContractEvents.figures("1.000", 1, "1.000"),
                ContractEvents.figures("2.500", 25, "3.000"));
        records.add(record(revision.get("clusterId").asText(), revision.toString(), ContractEvents.REVISED));
        pool.query("ALTER TABLE cluster_entry ADD CONSTRAINT no_4242_jobs CHECK (jobs <> 4242)").execute().await()
                .indefinitely();
        try {
            kafka.produceStrings().fromRecords(records).awaitCompletion();
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.getRecords().stream()
                    .anyMatch(record -> refused.get("clusterId").asText().equals(key(record))));
            for (String clusterId : accepted) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when()
                        .get("/clusters/" + clusterId).then().statusCode(200));
            }
        } finally {
            pool.query("ALTER TABLE cluster_entry DROP CONSTRAINT no_4242_jobs").execute().await().indefinitely();
        }
        given().when().get("/clusters/" + refused.get("clusterId").asText()).then().statusCode(404);
        given().when().get("/clusters/" + revisedInTheBatch.get("clusterId").asText()).then()
                .body("name", equalTo("Batch Revised")).body("version", equalTo(2)).body("jobs", equalTo(25));
        assertThat(deadLetters.getRecords())
                .filteredOn(record -> (accepted.contains(key(record)) || refused.get("clusterId").asText().equals(key(record))))
                .singleElement().satisfies(record -> assertThat(new String(
                        record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                        .startsWith("the database refused it: ").contains("no_4242_jobs"));
        deadLetters.stop();
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    private static ObjectNode joined(String name) {
        return ContractEvents.joined(name, "BR", "AMERICAS", "2025-01-22", List.of("PORT_LOGISTICS"), "1.000", 1,
                "1.000");
    }

    private void publish(ObjectNode event, String type) {
        publish(event.get("clusterId").asText(), event.toString(), type);
    }

    private void publish(String key, String value, String type) {
        kafka.produceStrings().fromRecords(List.of(record(key, value, type))).awaitCompletion();
    }

    private static ProducerRecord<String, String> record(String key, String value, String type) {
        ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", key, value);
        record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_type", bytes(type)).add("ce_source", bytes("urn:coalition-tracker:membership-service"));
        return record;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
