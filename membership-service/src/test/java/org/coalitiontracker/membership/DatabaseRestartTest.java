package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.coalitiontracker.localinfra.Switchover;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A publisher whose joins reach membership-service while PostgreSQL drops its connections (a restart, a failover), or
 * while they reach a server that is a standby for now (a switchover), is told 503 with Retry-After, which says a retry
 * is safe, never 500; and joins, and their events, go through again once the primary is back. The service logs that
 * the database is away as a WARN, not as an ERROR that would page someone.
 */
@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class DatabaseRestartTest {

    private static final String DROP_OTHER_CONNECTIONS = """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()""";

    @Inject
    DataSource database;

    @Test
    void joinsWhileTheDatabaseDropsItsConnectionsAreJoinedOrToldToRetry() throws Exception {
        try (LoggedErrors logged = LoggedErrors.open()) {
            joinWhileTheDatabaseDropsItsConnections();
            assertThat(logged.errors()).as("ERROR lines logged while the database dropped its connections").isEmpty();
        }
    }

    private void joinWhileTheDatabaseDropsItsConnections() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(5);
        // The database drops every connection of the service every 150 ms while the joins run.
        ScheduledExecutorService dropping = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger drops = new AtomicInteger();
        dropping.scheduleWithFixedDelay(() -> {
            dropTheServiceConnections();
            drops.incrementAndGet();
        }, 0, 150, TimeUnit.MILLISECONDS);
        List<Future<Response>> joins = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String name = "Restart Cluster " + i;
            joins.add(threads.submit(() -> given().contentType(ContentType.JSON).body(Map.of("name", name,
                    "country", "NO", "joinedOn", "2024-02-01", "sectors", List.of("CCS"),
                    "emissionsReductionMtPerYear", 1, "jobs", 1, "gdpUsdBn", 1)).when().post("/clusters")));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<Response> join : joins) {
            Response response = join.get();
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 503) {
                assertThat(response.header("Retry-After")).isNotBlank();
                assertThat(response.contentType()).isEqualTo("application/problem+json");
            }
        }
        dropping.shutdown();
        assertThat(dropping.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        threads.shutdown();

        System.out.printf("Joins while the database dropped its connections %d times: %s%n", drops.get(), statuses);
        assertThat(drops.get()).as("connections dropped").isPositive();
        assertThat(statuses.keySet()).as("statuses").isSubsetOf(201, 503);
        assertThat(statuses).containsKey(201);
    }

    /**
     * A switchover as the service sees it: its connections are dropped and the new ones reach a standby (here, a
     * database whose sessions start read-only). Then the primary is back at the address, but the connections already
     * made stay where they are, read-only, as on a standby that stays one.
     */
    @Test
    void joinsOnAStandbyAreToldToRetryAndGoThroughOnceThePrimaryIsBack() throws Exception {
        try (Switchover switchover = Switchover.start()) {
            // Joins side by side, so that the service's pool holds several connections to the standby.
            for (Response refused : joinTogether("Standby Cluster")) {
                assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isNotBlank();
                assertThat(refused.contentType()).isEqualTo("application/problem+json");
            }
            // The outbox relay's round, every second, has connected to the standby too (through JDBC).
            await().atMost(Duration.ofSeconds(10)).until(() -> switchover.number("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                    AND pid <> pg_backend_pid() AND application_name = 'PostgreSQL JDBC Driver'""") > 0);
            switchover.end();

            List<Response> joined = await("eight joins at once, each 201").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> joinTogether("Primary Cluster"),
                            responses -> responses.stream().allMatch(response -> response.statusCode() == 201));
            String clusterIds = joined.stream().map(response -> "'" + response.jsonPath().getString("id") + "'")
                    .collect(Collectors.joining(","));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(switchover.number(
                    "SELECT count(*) FROM outbox_event WHERE cluster_id IN (" + clusterIds + ") AND sent_at IS NOT NULL"))
                    .as("the joins' events, relayed to Kafka and marked sent").isEqualTo(joined.size()));
        }
    }

    /** Eight joins at once, each of a new cluster. */
    private static List<Response> joinTogether(String name) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> joins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                joins.add(threads.submit(() -> join(name)));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> join : joins) {
                responses.add(join.get());
            }
            return responses;
        } finally {
            threads.shutdown();
        }
    }

    private static Response join(String name) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name + " " + UUID.randomUUID(), "country", "NO",
                "joinedOn", "2024-02-01", "sectors", List.of("CCS"), "emissionsReductionMtPerYear", 1, "jobs", 1,
                "gdpUsdBn", 1)).when().post("/clusters");
    }

    private void dropTheServiceConnections() {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(DROP_OTHER_CONNECTIONS);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the service's connections", e);
        }
    }
}
