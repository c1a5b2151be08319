package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coalitiontracker.membership.ClusterEventsTopic.header;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.localinfra.EventContract;
import org.coalitiontracker.localinfra.InjectLocalInfra;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class OutboxTest {

    @InjectLocalInfra
    KafkaBroker broker;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    DataSource database;

    @Inject
    Mutiny.SessionFactory sessionFactory;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void joinsAcceptedWhileKafkaIsDownAreAllDeliveredExactlyAsStoredOnceItIsBack() throws Exception {
        List<String> ids = new ArrayList<>();
        broker.stop();
        try {
            for (int i = 1; i <= 6; i++) {
                ids.add(join("Offline Cluster " + i, i % 2 == 0 ? "NO" : "DK"));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/metrics")
                    .then().body(containsString("outbox_pending 6.0")));
            // The outbox is what lets joins in while Kafka is away: the service stays ready (Kubernetes keeps
            // sending it joins) and live (it is not restarted); its backlog gauges tell operators instead.
            given().when().get("/q/health/ready").then().statusCode(200);
            given().when().get("/q/health/live").then().statusCode(200);
        } finally {
            broker.start();
        }

        try (ClusterEventsTopic events = new ClusterEventsTopic(bootstrapServers)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events.eventsFor(ids).size() == ids.size());

            Map<String, List<ConsumerRecord<String, String>>> byCluster = events.eventsFor(ids).stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::key));
            for (String id : ids) {
                assertThat(byCluster.get(id)).as("events for %s", id).hasSize(1);
                ConsumerRecord<String, String> event = byCluster.get(id).get(0);
                EventContract.clusterJoinedV1().assertKeptBy(event.value());
                assertThat(header(event, "ce_type")).isEqualTo("org.coalitiontracker.ClusterJoined.v1");
                assertDeliveredAsStored(id, mapper.readTree(event.value()));
            }
            // Within a partition, the events arrive in the order the joins were accepted.
            Map<Integer, List<String>> keysByPartition = events.eventsFor(ids).stream().collect(Collectors.groupingBy(
                    ConsumerRecord::partition, Collectors.mapping(ConsumerRecord::key, Collectors.toList())));
            keysByPartition.values().forEach(keys -> assertThat(keys)
                    .isSortedAccordingTo((a, b) -> Integer.compare(ids.indexOf(a), ids.indexOf(b))));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/metrics")
                .then().body(containsString("outbox_pending 0.0")));
    }

    /**
     * Nothing is published for a change that did not commit. The failure is injected at the worst moment: at COMMIT,
     * after the cluster and its event were both written, by a deferred constraint trigger on the outbox.
     */
    @Test
    void aJoinWhoseCommitFailsLeavesNoMemberAndNoEvent() throws Exception {
        long membersBefore = members();
        execute("""
                CREATE FUNCTION fail_commit_of_doomed_join() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload LIKE '%Doomed Cluster%' THEN
                        RAISE EXCEPTION 'failure injected at commit';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE CONSTRAINT TRIGGER fail_commit_of_doomed_join AFTER INSERT ON outbox_event
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_commit_of_doomed_join();""");
        try {
            given().contentType(ContentType.JSON).body(joinRequest("Doomed Cluster", "FI"))
                    .when().post("/clusters")
                    .then().statusCode(500).contentType("application/problem+json");
        } finally {
            execute("""
                    DROP TRIGGER fail_commit_of_doomed_join ON outbox_event;
                    DROP FUNCTION fail_commit_of_doomed_join();""");
        }
        assertThat(members()).as("members after the failed join").isEqualTo(membersBefore);
        given().queryParam("country", "FI").when().get("/clusters")
                .then().statusCode(200).body("clusters.name", not(hasItem("Doomed Cluster")));

        // The relay publishes in order: once a later join's event is out, the failed one's would be out too.
        try (ClusterEventsTopic events = new ClusterEventsTopic(bootstrapServers)) {
            events.awaitEventsFor(join("Survivor Cluster", "FI"), 1);
            assertThat(events.received()).extracting(ConsumerRecord::value)
                    .noneMatch(value -> value.contains("Doomed Cluster"));
        }
    }

    /**
     * A publisher that gives up waiting (a timeout, a restart) hangs up in the middle of its join. The join still
     * completes, member and event, rather than being cut off mid-transaction: the publisher's retry, with its
     * Idempotency-Key, then gets the original answer. A trigger holds the join in its transaction while the
     * connection closes.
     */
    @Test
    void aJoinWhosePublisherHangsUpMidwayStillCompletesWithItsEvent() throws Exception {
        execute("""
                CREATE FUNCTION hold_impatient_join() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.name = 'Impatient Cluster' THEN
                        PERFORM pg_sleep(2);
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER hold_impatient_join BEFORE INSERT ON cluster
                    FOR EACH ROW EXECUTE FUNCTION hold_impatient_join();""");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            byte[] body = mapper.writeValueAsBytes(joinRequest("Impatient Cluster", "EE"));
            OutputStream out = socket.getOutputStream();
            out.write(("POST /clusters HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Idempotency-Key: impatient-1\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // Hang up once the join waits in the trigger.
            await().atMost(Duration.ofSeconds(20)).until(() -> joinsHeldInTrigger() == 1);
        } finally {
            execute("""
                    DROP TRIGGER hold_impatient_join ON cluster;
                    DROP FUNCTION hold_impatient_join();""");
        }

        String id = await().atMost(Duration.ofSeconds(20)).until(() -> given().queryParam("country", "EE")
                .when().get("/clusters").then().statusCode(200).extract().jsonPath()
                .<String> getList("clusters.findAll { it.name == 'Impatient Cluster' }.id"), ids -> ids.size() == 1)
                .get(0);
        try (ClusterEventsTopic events = new ClusterEventsTopic(bootstrapServers)) {
            assertThat(events.awaitEventsFor(id, 1)).hasSize(1);
        }
        given().contentType(ContentType.JSON).header("Idempotency-Key", "impatient-1")
                .body(joinRequest("Impatient Cluster", "EE"))
                .when().post("/clusters")
                .then().statusCode(201).header("Idempotent-Replayed", "true").header("Location", endsWith("/" + id));
    }

    /**
     * Joins of every kind reuse the query plans Hibernate made for the first of them (the relay's rounds use none). Hibernate
     * (ORM 7.2) makes a new plan for every run of a native query that returns rows and keeps each in its cache, where
     * lookups then walked up to 2,048 of them: 27 % of the service's CPU under joins. A plan not found is a miss.
     */
    @Test
    void joinsReuseTheirQueryPlans() throws Exception {
        Statistics statistics = sessionFactory.getStatistics();
        assertThat(statistics.isStatisticsEnabled()).as("quarkus.hibernate-orm.statistics in the test profile").isTrue();
        joinsOfEveryKind("Plan Reuse 0");
        awaitAllSent();
        long missesBefore = statistics.getQueryPlanCacheMissCount();

        int rounds = 40;
        for (int round = 1; round <= rounds; round++) {
            joinsOfEveryKind("Plan Reuse " + round);
        }
        awaitAllSent();

        assertThat(statistics.getQueryPlanCacheMissCount() - missesBefore)
                .as("query plans made anew during %d rounds of joins", rounds).isLessThan(rounds / 4);
    }

    /** A join, the same cluster again (a 409), and a join with an Idempotency-Key and its retry. */
    private static void joinsOfEveryKind(String name) {
        join(name, "FI");
        given().contentType(ContentType.JSON).body(joinRequest(name, "FI")).when().post("/clusters")
                .then().statusCode(409);
        for (int attempt = 0; attempt < 2; attempt++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", name).body(joinRequest(name, "IS"))
                    .when().post("/clusters").then().statusCode(201);
        }
    }

    private void awaitAllSent() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection connection = database.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL")) {
                rows.next();
                return rows.getLong(1) == 0;
            }
        });
    }

    private long joinsHeldInTrigger() throws SQLException {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event = 'PgSleep' AND query ILIKE '%insert into cluster %'""")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long members() {
        return given().when().get("/roster/summary").then().statusCode(200).extract().jsonPath()
                .getLong("clusters");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void assertDeliveredAsStored(String id, JsonNode event) throws Exception {
        JsonNode stored = mapper.readTree(given().when().get("/clusters/" + id).then().statusCode(200)
                .extract().asString());
        assertThat(event.get("clusterId").asText()).isEqualTo(id);
        for (String field : List.of("name", "country", "joinedOn", "sectors", "portAnchored", "jobs", "version")) {
            assertThat(event.get(field)).as(field).isEqualTo(stored.get(field));
        }
        assertThat(event.get("emissionsReductionMtPerYear").decimalValue())
                .isEqualByComparingTo(stored.get("emissionsReductionMtPerYear").decimalValue());
        assertThat(event.get("gdpUsdBn").decimalValue()).isEqualByComparingTo(stored.get("gdpUsdBn").decimalValue());
    }

    private static Map<String, Object> joinRequest(String name, String country) {
        return Map.of("name", name, "country", country, "joinedOn", "2024-01-16", "sectors", List.of("GAS"),
                "emissionsReductionMtPerYear", "2.125", "jobs", 1200, "gdpUsdBn", "0.750");
    }

    private static String join(String name, String country) {
        String location = given().contentType(ContentType.JSON).body(joinRequest(name, country))
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

}
