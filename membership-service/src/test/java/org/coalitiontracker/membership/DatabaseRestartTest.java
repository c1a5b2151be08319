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
import java.util.concurrent.atomic.AtomicBoolean;

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
        AtomicBoolean joining = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        Future<Integer> dropped = threads.submit(() -> {
            int times = 0;
            while (joining.get()) {
                dropTheServiceConnections();
                times++;
                Thread.sleep(150);
            }
            return times;
        });
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
        joining.set(false);
        int drops = dropped.get();
        threads.shutdown();

        System.out.printf("Joins while the database dropped its connections %d times: %s%n", drops, statuses);
        assertThat(statuses.keySet()).as("statuses").isSubsetOf(201, 503);
        assertThat(statuses).containsKey(201);
    }

    private void dropTheServiceConnections() throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()""");
        }
    }
}
