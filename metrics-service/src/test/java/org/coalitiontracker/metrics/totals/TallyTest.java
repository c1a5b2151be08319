package org.coalitiontracker.metrics.totals;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.coalitiontracker.localinfra.ContractEvents;
import org.coalitiontracker.localinfra.EventContract;
import org.coalitiontracker.localinfra.Switchover;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

@QuarkusTest
class TallyTest {

    /** The ce_time of the events the tests publish. */

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    TallyStore store;

    @Inject
    TotalsPublisher publisher;

    @Inject
    InMemorySpanExporter spans;

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
        assertAdded(before, after, 2, "57.596", 206731, "32.750");
        assertThat(after.get("countries").asLong()).isEqualTo(before.get("countries").asLong() + 1);
        assertThat(after.get("version").asLong()).isGreaterThan(before.get("version").asLong());

        assertThat(coalitionTotals()).isEqualTo(after);
    }

    @Test
    void publishedTotalsKeepTheirContract() throws Exception {
        String eventId = UUID.randomUUID().toString();
        ObjectNode kakinada = clusterJoined("Kakinada Cluster", "IN", "ASIA", "2025-01-22", List.of("GAS"), "15.846",
                69231, "10.000");
        Instant happened = now();
        kafka.produceStrings().fromRecords(List.of(record(kakinada, eventId, null, kakinada.get("clusterId").asText(),
                happened))).awaitCompletion();

        ConsumerRecord<String, String> published = awaitTotalsCausedBy(eventId);
        EventContract.totalsChangedV1().assertKeptBy(published.value());
        assertThat(published.key()).isEqualTo("coalition");
        // How fresh they are: when the event they reflect happened.
        assertThat(Instant.parse(mapper.readTree(published.value()).get("causedByEventAt").asText()))
                .isEqualTo(happened);
        assertThat(header(published, "ce_type")).isEqualTo("org.coalitiontracker.TotalsChanged.v1");
        assertThat(header(published, "ce_source")).isEqualTo("urn:coalition-tracker:metrics-service");
        assertThat(header(published, "ce_id")).isNotBlank();
    }

    @Test
    void aRevisionReplacesAndAWithdrawalRetractsTheContributionAndStaleVersionsChangeNothing() throws Exception {
        JsonNode before = coalitionTotals();
        ObjectNode joined = clusterJoined("Dunkerque DKarbonation", "FR", "24.333", 191666, "15.000");
        publish(joined, UUID.randomUUID().toString(), 0);
        ObjectNode revisedV2 = figuresRevised(joined, 2, figures("24.333", 191666, "15.000"),
                figures("30.125", 200000, "16.500"));
        String revisionEvent = UUID.randomUUID().toString();
        publish(revisedV2, revisionEvent, 0);

        JsonNode afterRevision = mapper.readTree(awaitTotalsCausedBy(revisionEvent).value());
        assertAdded(before, afterRevision, 1, "30.125", 200000, "16.500");

        ObjectNode withdrawnV3 = withdrawn(joined, 3, "2025-03-31", figures("30.125", 200000, "16.500"));
        publish(withdrawnV3, UUID.randomUUID().toString(), 0);
        // A copy of the revision arriving after the withdrawal: older version, so nothing changes.
        publish(revisedV2, UUID.randomUUID().toString(), 0);
        ObjectNode marker = clusterJoined("Marker Cluster", "FR", "0.000", 0, "0.000");
        String markerEvent = UUID.randomUUID().toString();
        publish(marker, markerEvent, 0);

        JsonNode after = mapper.readTree(awaitTotalsCausedBy(markerEvent).value());
        assertAdded(before, after, 1, "0", 0, "0");
    }

    @Test
    void aClusterThatAnotherInstanceChangesMeanwhileIsReadAgainNotCountedTwice() throws Exception {
        JsonNode before = coalitionTotals();
        ObjectNode joined = clusterJoined("Teesside", "GB", "10.000", 1000, "1.000");
        UUID clusterId = UUID.fromString(joined.get("clusterId").asText());
        String joinEvent = UUID.randomUUID().toString();
        publish(joined, joinEvent, 0);
        awaitTotalsCausedBy(joinEvent);
        String revisionEvent = UUID.randomUUID().toString();

        // Another instance applies version 2 and holds its transaction open, as it would if the cluster's records
        // were spread over partitions, while this one reads version 1 and applies version 3.
        whileAnotherInstanceHoldsItsTransaction(other -> {
            Contribution v1 = store.contributions(other, List.of(clusterId)).await().indefinitely().get(clusterId);
            Contribution v2 = new Contribution(2, v1.country(), v1.region(), v1.sectors(), v1.joinedOn(), null,
                    new Sums(1, 20_000, 2000, 2_000));
            Ledger ledger = new Ledger();
            ledger.replace(v1, v2, "other-instance", null, 0);
            store.write(other, Map.of(clusterId, new TallyStore.Applied(v2, "other-instance", 1)), ledger,
                    "cluster-events", Map.of()).await().indefinitely();
        }, figuresRevised(joined, 3, figures("10.000", 1000, "1.000"), figures("30.000", 3000, "3.000")),
                revisionEvent);

        // Version 3 replaced version 2, not the version 1 it had read.
        JsonNode after = mapper.readTree(awaitTotalsCausedBy(revisionEvent).value());
        assertAdded(before, after, 1, "30.000", 3000, "3.000");
    }

    @Test
    void aClusterThatAnotherInstanceJoinsMeanwhileIsReadThenReplacedNotCountedTwice() throws Exception {
        JsonNode before = coalitionTotals();
        ObjectNode joined = clusterJoined("Humber", "GB", "10.000", 1000, "1.000");
        UUID clusterId = UUID.fromString(joined.get("clusterId").asText());
        String revisionEvent = UUID.randomUUID().toString();

        // Another instance joins the cluster's version 1 and holds its transaction open, while this one takes version
        // 2 of a cluster it has never seen.
        whileAnotherInstanceHoldsItsTransaction(other -> {
            Contribution v1 = new Contribution(1, "GB", "EUROPE", List.of("PORT_LOGISTICS"),
                    LocalDate.of(2025, 1, 22), null, new Sums(1, 10_000, 1000, 1_000));
            Ledger ledger = new Ledger();
            ledger.replace(null, v1, "other-instance", null, 0);
            store.join(other, Map.of(clusterId, new TallyStore.Applied(v1, "other-instance", null)))
                    .chain(() -> store.write(other, Map.of(), ledger, "cluster-events", Map.of()))
                    .await().indefinitely();
        }, figuresRevised(joined, 2, figures("10.000", 1000, "1.000"), figures("30.000", 3000, "3.000")),
                revisionEvent);

        // Version 2 replaced the version 1 the other instance joined: one cluster, with version 2's figures.
        JsonNode after = mapper.readTree(awaitTotalsCausedBy(revisionEvent).value());
        assertAdded(before, after, 1, "30.000", 3000, "3.000");
    }

    @Test
    void everyScopeHoldsItsClustersDistinctCountriesAndFiguresAndPublishesThem() throws Exception {
        JsonNode coalitionBefore = coalitionTotals();
        publish(clusterJoined("Antofagasta Cluster", "CL", "AMERICAS", "2023-05-10", List.of("ALUMINIUM", "RECYCLING"),
                "10.500", 1000, "2.250"), UUID.randomUUID().toString(), null);
        publish(clusterJoined("Montevideo Cluster", "UY", "AMERICAS", "2023-07-01", List.of("ALUMINIUM"),
                "3.001", 500, "1.000"), UUID.randomUUID().toString(), null);
        ObjectNode last = clusterJoined("Valparaiso Cluster", "CL", "AMERICAS", "2023-09-01", List.of("RECYCLING"),
                "1.000", 1, "1.000");
        String lastEvent = UUID.randomUUID().toString();
        publish(last, lastEvent, null);

        // Scopes and countries used by no other test of this class, so their totals are this test's alone.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTotals("country:CL", 2, 1, "11.500", 1001,
                "3.250"));
        assertTotals("country:UY", 1, 1, "3.001", 500, "1.000");
        assertTotals("region:AMERICAS", 3, 2, "14.501", 1501, "4.250");
        assertTotals("sector:ALUMINIUM", 2, 2, "13.501", 1500, "3.250");
        assertTotals("sector:RECYCLING", 2, 1, "11.500", 1001, "3.250");
        assertTotals("cohort:2023", 3, 2, "14.501", 1501, "4.250");
        JsonNode coalition = coalitionTotals();
        assertThat(coalition.get("clusters").asLong()).isEqualTo(coalitionBefore.get("clusters").asLong() + 3);
        assertThat(coalition.get("jobs").asLong()).isEqualTo(coalitionBefore.get("jobs").asLong() + 1501);

        // What reporting-service reads: each scope's newest totals, keyed by scope, as GET /totals shows them.
        JsonNode shown = mapper.readTree(given().when().get("/totals/sector:RECYCLING").then().statusCode(200)
                .extract().asString());
        ConsumerRecord<String, String> published = await().atMost(Duration.ofSeconds(20))
                .until(() -> newest("sector:RECYCLING"), Optional::isPresent).orElseThrow();
        assertThat(mapper.readTree(published.value())).isEqualTo(shown);
        EventContract.totalsChangedV1().assertKeptBy(published.value());
    }

    @Test
    void aCountryStopsCountingInAScopeWhenItsLastClusterThereWithdraws() throws Exception {
        JsonNode coalitionBefore = coalitionTotals();
        ObjectNode reykjavik = clusterJoined("Reykjavik Cluster", "IS", "EUROPE", "2024-02-01", List.of("PAPER"),
                "2.000", 200, "1.000");
        publish(reykjavik, UUID.randomUUID().toString(), 0);
        String valletta = UUID.randomUUID().toString();
        publish(clusterJoined("Valletta Cluster", "MT", "EUROPE", "2024-03-01", List.of("PAPER"), "1.000", 100,
                "0.500"), valletta, 0);
        awaitTotalsCausedBy(valletta);
        // Scopes and countries used by no other test of this class, so their totals are this test's alone.
        assertTotals("sector:PAPER", 2, 2, "3.000", 300, "1.500");
        assertThat(coalitionTotals().get("countries").asLong())
                .isEqualTo(coalitionBefore.get("countries").asLong() + 2);

        String withdrawal = UUID.randomUUID().toString();
        publish(withdrawn(reykjavik, 2, "2025-06-30", figures("2.000", 200, "1.000")), withdrawal, 0);
        awaitTotalsCausedBy(withdrawal);
        assertTotals("sector:PAPER", 1, 1, "1.000", 100, "0.500");
        assertTotals("country:IS", 0, 0, "0", 0, "0");
        assertTotals("country:MT", 1, 1, "1.000", 100, "0.500");
        assertThat(coalitionTotals().get("countries").asLong())
                .isEqualTo(coalitionBefore.get("countries").asLong() + 1);
    }

    @Test
    void historyFollowsTheEffectiveDatesEvenWhenAnEventWithAnOlderDateArrivesLate() throws Exception {
        ObjectNode auckland = clusterJoined("Auckland Cluster", "NZ", "OCEANIA", "2024-06-01", List.of("HYDROGEN"),
                "5.000", 100, "1.000");
        publish(auckland, UUID.randomUUID().toString(), null);
        publish(clusterJoined("Taranaki Cluster", "NZ", "OCEANIA", "2022-03-01", List.of("HYDROGEN"), "2.000", 50,
                "0.500"), UUID.randomUUID().toString(), null);
        String withdrawal = UUID.randomUUID().toString();
        publish(withdrawn(auckland, 2, "2025-02-01", figures("5.000", 100, "1.000")), withdrawal, null);
        awaitTotalsCausedBy(withdrawal);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/totals/country:NZ/history")
                .then().statusCode(200)
                .body("asOf", contains("2022-03-01", "2024-06-01", "2025-02-01"))
                .body("clusters", contains(1, 2, 1))
                .body("jobs", contains(50, 150, 50))
                .body("countries", contains(1, 1, 1)));
        given().when().get("/totals/country:NZ/history/2023-12-31").then().statusCode(200)
                .body("clusters", is(1)).body("jobs", is(50))
                .body("emissionsReductionMtPerYear", is(2.0f));
        given().when().get("/totals/country:NZ/history/2022-02-28").then().statusCode(200)
                .body("clusters", is(0)).body("countries", is(0));
        assertTotals("country:NZ", 1, 1, "2.000", 50, "0.500");
    }

    @Test
    void aNewerVersionThatArrivesFirstWinsOverTheOlderOneArrivingAfter() throws Exception {
        ObjectNode joined = clusterJoined("Lulea Cluster", "SE", "EUROPE", "2025-01-22", List.of("BATTERIES"),
                "4.000", 400, "4.000");
        ObjectNode revised = figuresRevised(joined, 2, figures("4.000", 400, "4.000"), figures("6.500", 650, "6.500"));
        double duplicatesBefore = counter("cluster_events_duplicates_total");
        publish(revised, UUID.randomUUID().toString(), 1);
        publish(joined, UUID.randomUUID().toString(), 1);
        String marker = UUID.randomUUID().toString();
        publish(clusterJoined("Marker After Lulea", "SE", "EUROPE", "2025-01-22", List.of("BATTERIES"), "0.000", 0,
                "0.000"), marker, 1);
        awaitTotalsCausedBy(marker);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTotals("sector:BATTERIES", 2, 1, "6.500",
                650, "6.500"));
        assertThat(counter("cluster_events_duplicates_total")).isGreaterThanOrEqualTo(duplicatesBefore + 1);
    }

    /**
     * Where two instances change a scope, the one that committed first may publish last; the topic, compacted, keeps
     * a scope's last record, which is what a reader that starts later gets. It must be the newest totals.
     */
    @Test
    void totalsCommittedFirstButPublishedLastAreFollowedByTheNewest() throws Exception {
        // Another instance applies a join and commits, but is slow to publish...
        UUID clusterId = UUID.randomUUID();
        Contribution hamburg = new Contribution(1, "DE", "EUROPE", List.of("STEEL"), LocalDate.of(2025, 1, 22), null,
                new Sums(1, 10_000, 1000, 1_000));
        Ledger ledger = new Ledger();
        ledger.replace(null, hamburg, "slow-instance", null, 0);
        List<TotalsChanged> committedFirst = store.pool().withTransaction(connection -> store.join(connection,
                Map.of(clusterId, new TallyStore.Applied(hamburg, "slow-instance", null)))
                .chain(() -> store.write(connection, Map.of(), ledger, "cluster-events", Map.of())))
                .await().indefinitely();
        long stale = committedFirst.stream().filter(totals -> totals.scope().equals("coalition")).findFirst()
                .orElseThrow().version();

        // ...while this one applies the next join, commits and publishes.
        String next = UUID.randomUUID().toString();
        publish(clusterJoined("Bremen Steel", "DE", "2.000", 200, "0.200"), next, 0);
        awaitTotalsCausedBy(next);
        publisher.publish(committedFirst).await().indefinitely();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> coalition = new ArrayList<>();
            for (ConsumerRecord<String, String> record : List.copyOf(totalsOut.getRecords())) {
                if ("coalition".equals(record.key())) {
                    coalition.add(mapper.readTree(record.value()));
                }
            }
            assertThat(coalition).as("the slow instance's totals were published")
                    .anyMatch(totals -> totals.get("version").asLong() == stale);
            assertThat(coalition.get(coalition.size() - 1)).as("the scope's last record").isEqualTo(coalitionTotals());
        });
    }

    /**
     * A batch held up past the threshold shows on the gauge and the health check, and recovers; the time from its
     * change to its being applied lands in the delay histogram, beyond the 200 ms goal.
     */
    @Test
    void aBatchHeldUpPastTheThresholdShowsOnTheGaugeAndTheHealthCheckAndRecovers() throws Exception {
        SqlConnection other = store.pool().getConnection().await().indefinitely();
        String eventId = UUID.randomUUID().toString();
        double delaysBefore = counter("cluster_events_applied_delay_seconds_count");
        double delaySumBefore = counter("cluster_events_applied_delay_seconds_sum");
        double withinGoalBefore = counter("cluster_events_applied_delay_seconds_bucket{le=\"0.2\"}");
        try {
            // A transaction that holds the positions (a migration, a stuck session): every batch waits on it.
            Transaction transaction = other.begin().await().indefinitely();
            other.query("LOCK TABLE consumer_position IN EXCLUSIVE MODE").execute().await().indefinitely();
            ObjectNode heldUp = clusterJoined("Held Up Cluster", "DK", "1.000", 1, "1.000");
            kafka.produceStrings().fromRecords(List.of(record(heldUp, eventId, null, heldUp.get("clusterId").asText(),
                    now()))).awaitCompletion();

            // The test profile's threshold is 2 s.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/health/well")
                    .then().statusCode(503)
                    .body("checks.find { it.name == 'cluster-events applied' }.status", is("DOWN")));
            given().when().get("/q/health").then().statusCode(503);
            assertThat(counter("cluster_events_oldest_unapplied_age_seconds")).isGreaterThan(2);
            given().when().get("/q/health/live").then().statusCode(200);
            transaction.rollback().await().indefinitely();
        } finally {
            other.close().await().indefinitely();
        }

        awaitTotalsCausedBy(eventId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/health/well")
                .then().statusCode(200));
        assertThat(counter("cluster_events_oldest_unapplied_age_seconds")).isZero();
        assertThat(counter("cluster_events_applied_delay_seconds_count")).isEqualTo(delaysBefore + 1);
        assertThat(counter("cluster_events_applied_delay_seconds_sum") - delaySumBefore).isGreaterThan(2);
        assertThat(counter("cluster_events_applied_delay_seconds_bucket{le=\"0.2\"}")).isEqualTo(withinGoalBefore);
    }

    /**
     * A switchover as the service sees it: its connections are dropped and the new ones reach a standby (here, a
     * database whose sessions start read-only), where every batch fails and is retried: the stall shows on the health
     * check. Then the primary is back at the address while the connections already made stay read-only, as on a
     * standby that stays one; the pool replaces them, and the batch is applied.
     */
    @Test
    void aBatchOnAStandbyShowsAsAStallAndIsAppliedOnceThePrimaryIsBack() throws Exception {
        String eventId = UUID.randomUUID().toString();
        try (Switchover switchover = Switchover.start()) {
            ObjectNode onStandby = clusterJoined("Standby Cluster", "FI", "1.000", 1, "1.000");
            kafka.produceStrings().fromRecords(List.of(record(onStandby, eventId, null,
                    onStandby.get("clusterId").asText(), now()))).awaitCompletion();
            // The test profile's threshold is 2 s.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/health/well")
                    .then().statusCode(503)
                    .body("checks.find { it.name == 'cluster-events applied' }.status", is("DOWN")));
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> List.copyOf(totalsOut.getRecords()).stream()
                .anyMatch(record -> "coalition".equals(record.key()) && record.value().contains(eventId)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/health/well")
                .then().statusCode(200));
    }

    /**
     * A batch links to the trace of each change it applies (the record's traceparent), and the totals it publishes
     * continue the batch's trace.
     */
    @Test
    void aBatchLinksToTheTraceOfEachChangeAndItsTotalsContinueTheBatch() throws Exception {
        // The connector traces what it sends only while the SDK is on (event-contracts' TracingFollowsTheSdk).
        assertThat(ConfigProvider.getConfig().getValue("mp.messaging.connector.smallrye-kafka.tracing-enabled",
                Boolean.class)).as("the Kafka connector's tracing, with tracing on").isTrue();
        String changeTrace = UUID.randomUUID().toString().replace("-", "");
        String changeSpan = changeTrace.substring(0, 16);
        ObjectNode joined = clusterJoined("Traced Cluster", "FI", "1.000", 1, "1.000");
        String eventId = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = record(joined, eventId, null, joined.get("clusterId").asText(), now());
        record.headers().add("traceparent", bytes("00-" + changeTrace + "-" + changeSpan + "-01"));
        kafka.produceStrings().fromRecords(List.of(record)).awaitCompletion();

        String published = header(awaitTotalsCausedBy(eventId), "traceparent");
        assertThat(published).as("the totals' traceparent").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String batchTrace = published.split("-")[1];
        SpanData batch = await().atMost(Duration.ofSeconds(20)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("cluster-events apply") && span.getTraceId().equals(batchTrace))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(batch.getLinks()).anySatisfy(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(changeTrace);
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(changeSpan);
        });
    }

    /**
     * A batch of more records than a span keeps links (8 in the tests) still links to each record's trace: the
     * batch's span and the link spans under it hold them all.
     */
    @Test
    void everyRecordOfALargeBatchIsLinked() throws Exception {
        Set<String> sends = new HashSet<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ObjectNode joined = clusterJoined("Linked Cluster " + i, "LV", "1.000", 1, "1.000");
            String trace = UUID.randomUUID().toString().replace("-", "");
            String span = trace.substring(16);
            sends.add(span);
            // One partition, so that they come in as few batches as the consumer takes.
            ProducerRecord<String, String> record = record(joined, UUID.randomUUID().toString(), 1,
                    joined.get("clusterId").asText(), now());
            record.headers().add("traceparent", bytes("00-" + trace + "-" + span + "-01"));
            records.add(record);
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion();

        Set<String> batches = new HashSet<>();
        Set<String> linked = await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<SpanData> finished = spans.getFinishedSpanItems();
            finished.stream().filter(span -> span.getName().equals("cluster-events apply"))
                    .forEach(span -> batches.add(span.getSpanId()));
            return finished.stream().filter(span -> span.getName().equals("cluster-events apply")
                    || span.getName().equals("cluster-events apply links") && batches.contains(span.getParentSpanId()))
                    .flatMap(span -> span.getLinks().stream()).map(link -> link.getSpanContext().getSpanId())
                    .filter(sends::contains).collect(Collectors.toSet());
        }, found -> found.size() == sends.size());
        assertThat(linked).isEqualTo(sends);
        assertThat(spans.getFinishedSpanItems()).as("a batch of more than 8 spreads its links")
                .anyMatch(span -> span.getName().equals("cluster-events apply links"));
    }

    /** A traceparent that is not one (no value, garbage, too long) links to nothing and the stream goes on. */
    @Test
    void aRecordWithABrokenTraceparentIsAppliedAllTheSame() throws Exception {
        long clustersBefore = coalitionTotals().get("clusters").asLong();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (byte[] traceParent : List.of(new byte[0], bytes("00-zz-yy-01"), bytes("00-" + "f".repeat(5000) + "-01"),
                new byte[] { (byte) 0xff, 0, (byte) 0xfe })) {
            ObjectNode joined = clusterJoined("Broken Trace Cluster", "EE", "1.000", 1, "1.000");
            String eventId = UUID.randomUUID().toString();
            ProducerRecord<String, String> record = record(joined, eventId, 1, joined.get("clusterId").asText(), now());
            record.headers().add("traceparent", traceParent);
            records.add(record);
        }
        ObjectNode nullValued = clusterJoined("Null Trace Cluster", "EE", "1.000", 1, "1.000");
        String last = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = record(nullValued, last, 1, nullValued.get("clusterId").asText(), now());
        record.headers().add("traceparent", null);
        records.add(record);
        kafka.produceStrings().fromRecords(records).awaitCompletion();

        awaitTotalsCausedBy(last);
        assertThat(coalitionTotals().get("clusters").asLong()).as("all five applied").isEqualTo(clustersBefore + 5);
    }

    @Test
    void anUnknownScopeIsAProblemNotAnError() {
        given().when().get("/totals/country:ZZ").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("country:ZZ"));
    }

    @ParameterizedTest(name = "{0} is a bad request naming {1}")
    @CsvSource({ "/totals/%00, scope", "/totals/planet:EARTH, scope", "/totals/country:gb/history, scope",
            "/totals/coalition/history/-999999999-01-01, date", "/totals/coalition/history/garbage, date",
            "/totals/coalition/history/2025-02-30, date" })
    void aParameterThatCannotBeReadIsABadRequestNamingIt(String path, String parameter) {
        given().urlEncodingEnabled(false).when().get(path).then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", contains(parameter));
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() throws Exception {
        ConsumerTask<byte[], String> deadLetters = kafka.consume(byte[].class, String.class)
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("cluster-events.dlq");
        double deadLetteredBefore = counter("cluster_events_dead_lettered_total");
        String notJson = UUID.randomUUID().toString();
        String unknownType = UUID.randomUUID().toString();
        String noJobs = UUID.randomUUID().toString();
        String noValue = UUID.randomUUID().toString();
        publishRaw(bytes(notJson), "this is not JSON", "org.coalitiontracker.ClusterJoined.v1");
        // A record without a value (a tombstone), which Kafka hands over without calling the deserializer.
        publishRaw(bytes(noValue), null, "org.coalitiontracker.ClusterJoined.v1");
        // A key that is not even UTF-8 must reach the dead-letter topic as it came.
        byte[] notUtf8 = ("\u00ff" + UUID.randomUUID()).getBytes(StandardCharsets.ISO_8859_1);
        publishRaw(notUtf8, "nor is this", "org.coalitiontracker.ClusterJoined.v1");
        publishRaw(bytes(unknownType), "{\"clusterId\": \"" + unknownType + "\"}",
                "org.coalitiontracker.ClusterMerged.v1");
        // A ce_type header without a value.
        String typeWithoutValue = UUID.randomUUID().toString();
        publishRaw(bytes(typeWithoutValue), "{\"clusterId\": \"" + typeWithoutValue + "\"}", null);
        publishRaw(bytes(noJobs), "{\"clusterId\": \"" + noJobs + "\", \"version\": 1, \"country\": \"NL\","
                + " \"emissionsReductionMtPerYear\": 1.5, \"gdpUsdBn\": 2}", "org.coalitiontracker.ClusterJoined.v1");
        // Valid events, then broken the way the contract forbids: a code or name that is not the vocabulary's, a
        // figure or a date outside the bounds that every consumer can store and sum.
        Map<ObjectNode, String> invalid = new LinkedHashMap<>();
        invalid.put(clusterJoined("Underscore Country", "NL", "1.000", 10, "1.000").put("country", "N_"),
                "country must be an ISO 3166-1 alpha-2 code");
        ObjectNode notASectorName = clusterJoined("Lowercase Sector", "NL", "1.000", 10, "1.000");
        notASectorName.putArray("sectors").add("steel");
        invalid.put(notASectorName, "sectors must each be a name of the sector vocabulary");
        invalid.put(clusterJoined("Too Large", "NL", "1.000", 10, "1.000").put("emissionsReductionMtPerYear",
                new BigDecimal("1000000000.000")),
                "emissionsReductionMtPerYear and gdpUsdBn must be between 0 and 10000.000 with at most 3 decimals");
        invalid.put(clusterJoined("Far past", "GB", "0.000", 0, "0.000").put("joinedOn", "-5000-01-01"),
                "joinedOn must be between 1900-01-01 and 9999-12-31");
        invalid.put(clusterJoined("Overflowing jobs", "GB", "0.000", 0, "0.000").put("jobs", Long.MAX_VALUE),
                "jobs must be between 0 and 10000000");
        invalid.forEach((event, reason) -> publish(event, UUID.randomUUID().toString(), 0));
        // A valid event under another cluster's key: per-cluster order would not hold.
        ObjectNode wrongKey = clusterJoined("Wrong Key", "NL", "1.000", 1, "1.000");
        String otherKey = UUID.randomUUID().toString();
        publish(wrongKey, UUID.randomUUID().toString(), 0, otherKey);
        String goodEvent = UUID.randomUUID().toString();
        publish(clusterJoined("Antwerp After Poison", "BE", "1.000", 1, "1.000"), goodEvent, 0);

        awaitTotalsCausedBy(goodEvent);
        int expected = 6 + invalid.size() + 1;
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.getRecords().size() >= expected);
        Map<String, String> reasons = deadLetters.getRecords().stream().collect(Collectors.toMap(
                record -> new String(record.key(), StandardCharsets.UTF_8), record -> header(record,
                        "dead-letter-reason"),
                (a, b) -> a));
        assertThat(reasons.get(notJson)).startsWith("not a readable ClusterJoined");
        assertThat(reasons.get(noValue)).isEqualTo("not a readable ClusterJoined: no value");
        assertThat(reasons.get(unknownType)).startsWith("unknown event type");
        assertThat(reasons.get(typeWithoutValue)).isEqualTo("unknown event type (ce_type null)");
        assertThat(reasons.get(noJobs)).startsWith("invalid ClusterJoined");
        invalid.forEach((event, reason) -> assertThat(reasons.get(event.get("clusterId").asText()))
                .isEqualTo("invalid ClusterJoined: " + reason));
        assertThat(reasons.get(otherKey)).isEqualTo("invalid ClusterJoined: the record's key must be its clusterId "
                + "(consumers rely on a cluster's events keeping order)");
        assertThat(deadLetters.getRecords()).filteredOn(record -> Arrays.equals(notUtf8, record.key()))
                .extracting(ConsumerRecord::value).containsExactly("nor is this");
        ConsumerRecord<byte[], String> first = deadLetters.getRecords().stream()
                .filter(record -> Arrays.equals(bytes(notJson), record.key())).findFirst().orElseThrow();
        assertThat(first.value()).isEqualTo("this is not JSON");
        assertThat(header(first, "dead-letter-topic")).isEqualTo("cluster-events");
        assertThat(header(first, "ce_type")).isEqualTo("org.coalitiontracker.ClusterJoined.v1");
        assertThat(counter("cluster_events_dead_lettered_total")).isEqualTo(deadLetteredBefore + expected);
        deadLetters.stop();
    }

    @Test
    void aRecordTheDatabaseRefusesForGoodIsDeadLetteredAloneAndTheRestOfItsBatchIsApplied() throws Exception {
        // A record the contract's rule lets through but the database refuses for good (here: a check this test adds;
        // in life, a limit nobody foresaw): retrying it would hold up the stream for ever.
        store.pool().query("ALTER TABLE cluster_contribution ADD CONSTRAINT no_4242_jobs CHECK (jobs <> 4242)")
                .execute().await().indefinitely();
        ConsumerTask<byte[], String> deadLetters = kafka.consume(byte[].class, String.class)
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("cluster-events.dlq");
        try {
            JsonNode before = coalitionTotals();
            List<ObjectNode> events = List.of(clusterJoined("Before Refused", "PT", "1.000", 1, "1.000"),
                    clusterJoined("Refused By Database", "PT", "2.000", 4242, "2.000"),
                    clusterJoined("After Refused", "PT", "4.000", 4, "4.000"));
            String lastEvent = UUID.randomUUID().toString();
            // Sent together, so that they usually share a batch.
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                records.add(record(events.get(i), i == events.size() - 1 ? lastEvent : UUID.randomUUID().toString(),
                        2, events.get(i).get("clusterId").asText(), now()));
            }
            kafka.produceStrings().fromRecords(records).awaitCompletion();

            JsonNode after = mapper.readTree(awaitTotalsCausedBy(lastEvent).value());
            assertAdded(before, after, 2, "5.000", 5, "5.000");
            String refused = events.get(1).get("clusterId").asText();
            ConsumerRecord<byte[], String> deadLetter = await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters
                    .getRecords().stream().filter(record -> refused.equals(new String(record.key(),
                            StandardCharsets.UTF_8)))
                    .findFirst(), Optional::isPresent).orElseThrow();
            assertThat(header(deadLetter, "dead-letter-reason")).startsWith("the database refused it: ")
                    .contains("no_4242_jobs").contains("23514");
            assertThat(deadLetter.value()).isEqualTo(records.get(1).value());
        } finally {
            deadLetters.stop();
            store.pool().query("ALTER TABLE cluster_contribution DROP CONSTRAINT no_4242_jobs").execute().await()
                    .indefinitely();
        }
    }

    /**
     * Another instance's write, done in a transaction that stays open while this instance is sent the event, until
     * this instance waits for a lock the other holds; then the other commits.
     */
    private void whileAnotherInstanceHoldsItsTransaction(Consumer<SqlConnection> write, ObjectNode event,
            String eventId) {
        SqlConnection other = store.pool().getConnection().await().indefinitely();
        try {
            Transaction transaction = other.begin().await().indefinitely();
            write.accept(other);
            publish(event, eventId, 0);
            await().atMost(Duration.ofSeconds(20)).until(() -> store.pool().query("""
                    SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                    AND datname = current_database()""").execute().await().indefinitely().iterator().next()
                    .getLong(0) > 0);
            transaction.commit().await().indefinitely();
        } finally {
            other.close().await().indefinitely();
        }
    }

    private void publishRaw(byte[] key, String value, String type) {
        ProducerRecord<byte[], String> record = new ProducerRecord<>("cluster-events", 0, key, value);
        record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_type", type == null ? null : bytes(type)).add("ce_source", bytes("urn:test"));
        kafka.produce(byte[].class, String.class).fromRecords(List.of(record)).awaitCompletion();
    }

    private static ObjectNode figures(String emissions, long jobs, String gdp) {
        return ContractEvents.figures(emissions, jobs, gdp);
    }

    private static ObjectNode figuresRevised(ObjectNode joined, int version, ObjectNode previous, ObjectNode revised) {
        return ContractEvents.revised(joined, version, previous, revised).put("type", ContractEvents.REVISED);
    }

    private static ObjectNode withdrawn(ObjectNode joined, int version, String withdrawnOn, ObjectNode figures) {
        return ContractEvents.withdrawn(joined, version, withdrawnOn, figures).put("type", ContractEvents.WITHDRAWN);
    }

    /** A ClusterJoined v1 in Europe, joined 2025-01-22, in PORT_LOGISTICS. */
    private static ObjectNode clusterJoined(String name, String country, String emissions, long jobs, String gdp) {
        return clusterJoined(name, country, "EUROPE", "2025-01-22", List.of("PORT_LOGISTICS"), emissions, jobs, gdp);
    }

    private static ObjectNode clusterJoined(String name, String country, String region, String joinedOn,
            List<String> sectors, String emissions, long jobs, String gdp) {
        return ContractEvents.joined(name, country, region, joinedOn, sectors, emissions, jobs, gdp)
                .put("type", ContractEvents.JOINED);
    }

    /** Publishes the event's data with CloudEvents headers; its test-only {@code type} field becomes ce_type. */
    private void publish(ObjectNode event, String eventId, Integer partition) {
        publish(event, eventId, partition, event.get("clusterId").asText());
    }

    private void publish(ObjectNode event, String eventId, Integer partition, String key) {
        kafka.produceStrings().fromRecords(List.of(record(event, eventId, partition, key, now()))).awaitCompletion();
    }

    /**
     * When an event happens: now, as membership-service stamps it (to the microsecond PostgreSQL keeps). Each
     * scope's totals name the newest event by this time, so a test's event must not be older than an earlier test's.
     */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static ProducerRecord<String, String> record(ObjectNode event, String eventId, Integer partition,
            String key, Instant time) {
        ObjectNode data = event.deepCopy();
        String type = data.remove("type").asText();
        ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", partition, key,
                data.toString());
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(eventId))
                .add("ce_type", bytes(type))
                .add("ce_source", bytes("urn:coalition-tracker:membership-service"))
                .add("ce_time", bytes(time.toString()));
        return record;
    }

    /** The coalition's totals that the event caused, as published: every scope the event touched has its own. */
    private ConsumerRecord<String, String> awaitTotalsCausedBy(String eventId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> List.copyOf(totalsOut.getRecords()).stream()
                .filter(record -> "coalition".equals(record.key()) && record.value().contains(eventId)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** The published totals after are those before plus the given clusters and figures. */
    private static void assertAdded(JsonNode before, JsonNode after, long clusters, String emissions, long jobs,
            String gdp) {
        assertThat(after.get("clusters").asLong()).isEqualTo(before.get("clusters").asLong() + clusters);
        assertThat(after.get("emissionsReductionMtPerYear").decimalValue()).isEqualByComparingTo(
                before.get("emissionsReductionMtPerYear").decimalValue().add(new BigDecimal(emissions)));
        assertThat(after.get("jobs").asLong()).isEqualTo(before.get("jobs").asLong() + jobs);
        assertThat(after.get("gdpUsdBn").decimalValue()).isEqualByComparingTo(
                before.get("gdpUsdBn").decimalValue().add(new BigDecimal(gdp)));
    }

    private void assertTotals(String scope, long clusters, long countries, String emissions, long jobs, String gdp)
            throws Exception {
        JsonNode totals = mapper.readTree(given().when().get("/totals/" + scope).then().statusCode(200).extract()
                .asString());
        assertThat(totals.get("clusters").asLong()).as(scope + " clusters").isEqualTo(clusters);
        assertThat(totals.get("countries").asLong()).as(scope + " countries").isEqualTo(countries);
        assertThat(totals.get("emissionsReductionMtPerYear").decimalValue()).as(scope + " emissions")
                .isEqualByComparingTo(emissions);
        assertThat(totals.get("jobs").asLong()).as(scope + " jobs").isEqualTo(jobs);
        assertThat(totals.get("gdpUsdBn").decimalValue()).as(scope + " GDP").isEqualByComparingTo(gdp);
    }

    private Optional<ConsumerRecord<String, String>> newest(String scope) throws Exception {
        ConsumerRecord<String, String> newest = null;
        for (ConsumerRecord<String, String> record : List.copyOf(totalsOut.getRecords())) {
            if (scope.equals(record.key()) && (newest == null || mapper.readTree(record.value()).get("version")
                    .asLong() > mapper.readTree(newest.value()).get("version").asLong())) {
                newest = record;
            }
        }
        return Optional.ofNullable(newest);
    }

    /** A metric without tags, as /q/metrics shows it (its value, before any exemplar); 0 before it is recorded. */
    private static double counter(String name) {
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0])).findFirst().orElse(0);
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
