package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.coalitiontracker.localinfra.ServiceProcess;
import org.coalitiontracker.localinfra.SyntheticClusterEvents;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/**
 * metrics-service and reporting-service stopped as a rollout stops them (SIGTERM) while each takes in a backlog of
 * tens of thousands of events. Each stops reading before its database pool closes, so the batch in hand is applied
 * or left for the next instance, not failed: its log has no failed write and no ERROR. The next instance finishes,
 * and the totals, in metrics-service and in reporting-service's views and directory, are exact.
 */
class StopWhileApplyingTest {

    private static final int EVENTS = 40_000;

    @Test
    void servicesStoppedInTheMiddleOfABacklogStopCleanlyAndTheNextInstancesFinishIt() throws Exception {
        try (CoalitionSystem system = CoalitionSystem.start("e2e_stop")) {
            SyntheticClusterEvents stream = new SyntheticClusterEvents(20261206L);
            SyntheticClusterEvents.publish(system.broker.bootstrapServers(), stream.next(EVENTS));
            SyntheticClusterEvents.Totals expected = stream.expectedTotals().get("coalition");

            ServiceProcess metrics = system.metrics;
            ServiceProcess reporting = system.reporting;
            long applied = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> applied(metrics), count -> count >= 1000);
            long entries = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> directoryEntries(reporting), count -> count >= 100);
            Instant stopped = Instant.now();
            system.restartConsumers();
            assertThat(applied).as("events metrics-service had applied just before it was stopped")
                    .isLessThan(EVENTS);
            // Short of all, not of half: while metrics-service starts reading, reporting-service may be far ahead.
            assertThat(entries).as("clusters in reporting's directory just before it was stopped")
                    .isLessThan(expected.clusters());
            assertStoppedCleanly(metrics, stopped);
            assertStoppedCleanly(reporting, stopped);

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(totals(given().baseUri(system.metrics.baseUri()).when().get("/totals/coalition")))
                        .as("metrics-service's totals").isEqualTo(expected);
                assertThat(totals(given().baseUri(system.reporting.baseUri()).when().get("/coalition")))
                        .as("reporting-service's view of the totals").isEqualTo(expected);
                assertThat(totals(given().baseUri(system.reporting.baseUri()).queryParam("asOf",
                        LocalDate.now().toString()).when().get("/coalition")))
                        .as("reporting-service's directory, summed as of today").isEqualTo(expected);
            });
        }
    }

    /**
     * Its stop finished ("stopped in"), and from the moment it was asked to stop, it logged no failed write and no
     * ERROR. (Before it, a write may have been retried for a reason of its own.)
     */
    private static void assertStoppedCleanly(ServiceProcess service, Instant stopped) throws IOException {
        List<JsonPath> lines = Files.readAllLines(service.log()).stream().filter(line -> line.startsWith("{"))
                .map(JsonPath::from).filter(line -> !Instant.parse(line.getString("timestamp")).isBefore(stopped))
                .toList();
        assertThat(lines).as(service.log() + ": the stop finished")
                .anyMatch(line -> line.getString("message").contains("stopped in"));
        assertThat(lines.stream().filter(line -> line.getString("level").equals("ERROR")
                || line.getString("message").contains("failed, retrying")).map(line -> line.getString("message")))
                .as(service.log() + ": failed writes and errors as it stopped").isEmpty();
    }

    private static long applied(ServiceProcess metrics) {
        return given().baseUri(metrics.managementUri()).when().get("/q/metrics").then().extract().asString().lines()
                .filter(line -> line.startsWith("cluster_events_applied_total "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).sum();
    }

    private static long directoryEntries(ServiceProcess reporting) {
        return given().baseUri(reporting.baseUri()).when().get("/clusters?size=1").then().statusCode(200).extract()
                .jsonPath().getLong("total");
    }

    private static SyntheticClusterEvents.Totals totals(Response response) {
        Map<String, Object> totals = response.then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL)).getMap("");
        return new SyntheticClusterEvents.Totals(((Number) totals.get("clusters")).longValue(),
                ((Number) totals.get("countries")).longValue(), decimal(totals.get("emissionsReductionMtPerYear")),
                ((Number) totals.get("jobs")).longValue(), decimal(totals.get("gdpUsdBn")));
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(value.toString()).setScale(3);
    }
}
