package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/** A test that reads what the service publishes on {@code cluster-events}. */
abstract class WatchesClusterEvents {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    final ObjectMapper mapper = new ObjectMapper();
    ClusterEventsTopic clusterEvents;

    @BeforeEach
    void watchClusterEvents() {
        clusterEvents = new ClusterEventsTopic(bootstrapServers);
    }

    @AfterEach
    void stopWatching() {
        clusterEvents.close();
    }

    /** Joins a cluster of this name, as a publisher would; its id. */
    static String join(String name) {
        String location = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "country", "NO", "joinedOn", "2024-01-16", "sectors", List.of("GAS"),
                        "emissionsReductionMtPerYear", "2.125", "jobs", 1200, "gdpUsdBn", "0.750"))
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
