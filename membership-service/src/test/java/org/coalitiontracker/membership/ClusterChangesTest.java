package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.coalitiontracker.membership.ClusterEventsTopic.header;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.localinfra.EventContract;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class ClusterChangesTest extends WatchesClusterEvents {

    // The clusters here join on 2024-02-01, after the published dates that RosterQueriesTest checks.
    @Test
    void aRevisionAndAWithdrawalEachEmitTheirEventInOrderWithWhatToRetract() throws Exception {
        String id = join("Bilbao Port Cluster", "ES", "2024-02-01");

        given().contentType(ContentType.JSON)
                .body(Map.of("emissionsReductionMtPerYear", "30.500", "jobs", 90000, "gdpUsdBn", "18.250",
                        "figuresBasis", "self-reported 2025"))
                .when().patch("/clusters/" + id + "/figures")
                .then().statusCode(200)
                .body("version", equalTo(2))
                .body("jobs", equalTo(90000))
                .body("figuresBasis", equalTo("self-reported 2025"));

        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", "2025-03-31", "reason", "merged"))
                .when().post("/clusters/" + id + "/withdrawal")
                .then().statusCode(200)
                .body("version", equalTo(3))
                .body("withdrawnOn", equalTo("2025-03-31"));

        List<ConsumerRecord<String, String>> events = clusterEvents.awaitEventsFor(id, 3);
        assertThat(events).hasSize(3);
        assertThat(events).extracting(event -> header(event, "ce_type")).containsExactly(
                "org.coalitiontracker.ClusterJoined.v1", "org.coalitiontracker.ClusterFiguresRevised.v1",
                "org.coalitiontracker.ClusterWithdrawn.v1");
        assertThat(events).extracting(ConsumerRecord::partition).containsOnly(events.get(0).partition());

        EventContract.clusterFiguresRevisedV1().assertKeptBy(events.get(1).value());
        JsonNode revised = mapper.readTree(events.get(1).value());
        assertThat(revised.get("version").asInt()).isEqualTo(2);
        assertThat(revised.at("/previous/emissionsReductionMtPerYear").decimalValue()).isEqualByComparingTo("24.334");
        assertThat(revised.at("/previous/jobs").asLong()).isEqualTo(191667);
        assertThat(revised.at("/revised/emissionsReductionMtPerYear").decimalValue()).isEqualByComparingTo("30.500");
        assertThat(revised.at("/revised/gdpUsdBn").decimalValue()).isEqualByComparingTo("18.250");
        assertThat(revised.get("country").asText()).isEqualTo("ES");

        EventContract.clusterWithdrawnV1().assertKeptBy(events.get(2).value());
        JsonNode withdrawn = mapper.readTree(events.get(2).value());
        assertThat(withdrawn.get("version").asInt()).isEqualTo(3);
        assertThat(withdrawn.get("withdrawnOn").asText()).isEqualTo("2025-03-31");
        assertThat(withdrawn.at("/figures/jobs").asLong()).isEqualTo(90000);
    }

    @Test
    void aWithdrawnClusterCountsUntilTheDayItLeft() {
        String id = join("Sines Industrial Zone", "PT", "2024-02-01");
        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", "2024-06-30"))
                .when().post("/clusters/" + id + "/withdrawal")
                .then().statusCode(200);

        long before = summaryClusters("2024-06-29");
        long after = summaryClusters("2024-06-30");
        assertThat(before - after).isEqualTo(1);
    }

    @Test
    void aWithdrawnClusterCannotBeRevisedOrWithdrawnAgain() {
        String id = join("Setúbal Cluster", "PT", "2024-02-01");
        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", "2024-03-01"))
                .when().post("/clusters/" + id + "/withdrawal").then().statusCode(200);

        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", "2024-04-01"))
                .when().post("/clusters/" + id + "/withdrawal")
                .then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("emissionsReductionMtPerYear", 1, "jobs", 1, "gdpUsdBn", 1))
                .when().patch("/clusters/" + id + "/figures")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void badChangesAreProblemsNamingTheField() {
        String id = join("Aveiro Cluster", "PT", "2024-02-01");
        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", "2024-01-31"))
                .when().post("/clusters/" + id + "/withdrawal")
                .then().statusCode(400).body("violations.field", hasItem("withdrawnOn"));
        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", LocalDate.now(ZoneOffset.MAX).plusDays(1).toString()))
                .when().post("/clusters/" + id + "/withdrawal")
                .then().statusCode(400).body("violations.field", hasItem("withdrawnOn"));
        given().contentType(ContentType.JSON).body(Map.of("emissionsReductionMtPerYear", -1, "jobs", 1))
                .when().patch("/clusters/" + id + "/figures")
                .then().statusCode(400)
                .body("violations.field", hasItem("emissionsReductionMtPerYear"))
                .body("violations.field", hasItem("gdpUsdBn"));
        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", "2024-01-01"))
                .when().post("/clusters/00000000-0000-0000-0000-000000000000/withdrawal")
                .then().statusCode(404).contentType("application/problem+json");
    }

    private static long summaryClusters(String asOf) {
        return given().queryParam("asOf", asOf).when().get("/roster/summary")
                .then().statusCode(200).extract().jsonPath().getLong("clusters");
    }

    private static String join(String name, String country, String joinedOn) {
        String location = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "country", country, "joinedOn", joinedOn, "sectors", List.of("PORT_LOGISTICS"),
                        "emissionsReductionMtPerYear", new BigDecimal("24.334"), "jobs", 191667,
                        "gdpUsdBn", new BigDecimal("15.000")))
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

}
