package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A publisher whose joins reach membership-service while PostgreSQL drops its connections (a restart, a failover)
 * is told 503 with Retry-After, which says a retry is safe, never 500.
 */
@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class DatabaseRestartTest {

    @Inject
    DataSource database;

    @Test
    void joinsWhileTheDatabaseDropsItsConnectionsAreJoinedOrToldToRetry() throws Exception {
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

    private void dropTheServiceConnections() {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()""");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the service's connections", e);
        }
    }
}
