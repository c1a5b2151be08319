package org.coalitiontracker.reporting.coalition;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;

@QuarkusTest
class CoalitionResourceTest extends FedByTotalsTopic {

    @Inject
    DataSource database;

    private static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    @Test
    void theViewShowsTheNewestTotalsAndIgnoresAStaleVersion() {
        long version = TotalsTopic.nextVersion();
        String newest = UUID.randomUUID().toString();
        publish(totals(version, newest, 20, 10, "626.000", 3400000, "362.000"));
        awaitCoalition(newest);

        publish(totals(version - 1, UUID.randomUUID().toString(), 17, 9, "500.000", 2000000, "300.000"));
        RecordMetadata stale = publish(
                totals(version - 2, UUID.randomUUID().toString(), 8, 6, "334.000", 1100000, "182.000"));
        awaitProcessed(stale);

        given().config(EXACT).when().get("/coalition")
                .then().statusCode(200).contentType("application/json")
                .body("lastEventId", equalTo(newest))
                .body("clusters", equalTo(20))
                .body("countries", equalTo(10))
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("626.000")))
                .body("jobs", equalTo(3400000))
                .body("gdpUsdBn", equalTo(new BigDecimal("362.000")));
    }

    @Test
    void aNewerVersionReplacesTheView() {
        String first = UUID.randomUUID().toString();
        publish(totals(TotalsTopic.nextVersion(), first, 32, 15, "816.154", 4230770, "482.000"));
        awaitCoalition(first);
        String second = UUID.randomUUID().toString();
        publish(totals(TotalsTopic.nextVersion(), second, 33, 16, "832.000", 4300000, "492.000"));
        awaitCoalition(second);

        given().config(EXACT).when().get("/coalition")
                .then().statusCode(200)
                .body("clusters", equalTo(33))
                .body("countries", equalTo(16))
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("832.000")))
                .body("jobs", equalTo(4300000))
                .body("gdpUsdBn", equalTo(new BigDecimal("492.000")));
    }

    @Test
    void aPollingDashboardGetsNotModifiedUntilTheTotalsChange() {
        String first = UUID.randomUUID().toString();
        publish(totals(TotalsTopic.nextVersion(), first, 33, 16, "832.000", 4300000, "492.000"));
        awaitCoalition(first);
        String etag = given().when().get("/coalition")
                .then().statusCode(200)
                .header("Cache-Control", equalTo("no-cache"))
                .extract().header("ETag");

        given().header("If-None-Match", etag).when().get("/coalition")
                .then().statusCode(304)
                .header("ETag", equalTo(etag));

        String second = UUID.randomUUID().toString();
        publish(totals(TotalsTopic.nextVersion(), second, 34, 16, "847.846", 4369231, "502.000"));
        awaitCoalition(second);
        given().header("If-None-Match", etag).when().get("/coalition")
                .then().statusCode(200)
                .header("ETag", not(equalTo(etag)))
                .body("clusters", equalTo(34));
    }

    @Test
    void breakdownsListTheScopesOfAKindSortedAsAsked() {
        String netherlandsEvent = UUID.randomUUID().toString();
        publish(totals("country:NL", TotalsTopic.nextVersion(), netherlandsEvent, 2, 1, "57.596", 206731, "32.750"));
        publish(totals("country:SE", TotalsTopic.nextVersion(), UUID.randomUUID().toString(), 0, 0, "0.000", 0,
                "0.000"));
        publish(totals("country:GB", TotalsTopic.nextVersion(), UUID.randomUUID().toString(), 3, 1, "125.250", 412500,
                "68.250"));

        // Only this test publishes country scopes; a country whose clusters all withdrew is left out.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition/countries")
                .then().statusCode(200)
                .header("ETag", not(equalTo(null)))
                .body("name", equalTo(List.of("GB", "NL"))));
        given().when().get("/coalition/countries?sort=jobs").then().statusCode(200)
                .body("name", equalTo(List.of("GB", "NL")))
                .body("jobs", equalTo(List.of(412500, 206731)));
        given().config(EXACT).when().get("/coalition/countries/NL").then().statusCode(200)
                .body("name", equalTo("NL"))
                .body("lastEventId", equalTo(netherlandsEvent))
                .body("updatedAt", equalTo("2025-01-22T10:00:00Z"))
                .body("clusters", equalTo(2))
                .body("$", not(hasKey("countries")))
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("57.596")))
                .body("gdpUsdBn", equalTo(new BigDecimal("32.750")));
    }

    /** A region whose clusters have all left drops out of the breakdown, also for a dashboard polling with its ETag. */
    @Test
    void aScopeWhoseClustersAllLeaveDropsOutForAPollingDashboard() {
        publish(topic.totals("region:LEAVING", TotalsTopic.nextVersion(), UUID.randomUUID().toString(), 1, 1, "1.000",
                1, "1.000"));
        publish(topic.totals("region:STAYING", TotalsTopic.nextVersion(), UUID.randomUUID().toString(), 1, 1, "1.000",
                1, "1.000"));
        String etag = await().atMost(Duration.ofSeconds(20)).until(() -> given().when().get("/coalition/regions"),
                answer -> answer.jsonPath().getList("name").containsAll(List.of("LEAVING", "STAYING")))
                .header("ETag");

        publish(topic.totals("region:LEAVING", TotalsTopic.nextVersion(), UUID.randomUUID().toString(), 0, 0, "0.000",
                0, "0.000"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("If-None-Match", etag).when()
                .get("/coalition/regions").then().statusCode(200)
                .body("name", hasItem("STAYING"))
                .body("name", not(hasItem("LEAVING"))));
    }

    /**
     * The current totals and their breakdowns are answered from memory: while a lock holds the views (a migration's,
     * an operator's), every one of them still answers, with the totals that arrive meanwhile.
     */
    @Test
    void theCurrentTotalsAndBreakdownsAnswerWhileTheViewsAreLocked() throws Exception {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE scope_view IN ACCESS EXCLUSIVE MODE");
            String event = UUID.randomUUID().toString();
            publish(topic.totals("region:LOCKED_VIEWS", TotalsTopic.nextVersion(), event, 1, 1, "1.000", 1, "1.000"));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition/regions")
                    .then().statusCode(200).body("find { it.name == 'LOCKED_VIEWS' }.lastEventId", equalTo(event)));
            for (String path : List.of("/coalition", "/coalition?asOf=2025-01-22", "/coalition/countries",
                    "/coalition/sectors", "/coalition/cohorts")) {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().when().get(path).then()
                        .statusCode(200));
            }
            connection.rollback();
        }
    }

    @Test
    void badParametersAndUnknownCountriesAreProblemsNotErrors() {
        given().when().get("/coalition/sectors?sort=size").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].message", containsString("emissionsReductionMtPerYear"));
        given().when().get("/coalition/countries/gbr").then().statusCode(400)
                .contentType("application/problem+json");
        given().when().get("/coalition/countries/ZZ").then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Not in the coalition"));
    }

    private ObjectNode totals(long version, String eventId, long clusters, long countries, String emissions, long jobs,
            String gdp) {
        return topic.totals("coalition", version, eventId, clusters, countries, emissions, jobs, gdp);
    }

    private ObjectNode totals(String scope, long version, String eventId, long clusters, long countries,
            String emissions, long jobs, String gdp) {
        return topic.totals(scope, version, eventId, clusters, countries, emissions, jobs, gdp);
    }

    private RecordMetadata publish(ObjectNode totals) {
        return topic.publish(totals);
    }

    private void awaitCoalition(String lastEventId) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition")
                .then().statusCode(200).body("lastEventId", equalTo(lastEventId)));
    }

    private void awaitProcessed(RecordMetadata record) {
        topic.awaitProcessed(record, groupId);
    }
}
