package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.membership.imports.RosterImport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class RosterImportTest extends WatchesClusterEvents {

    private static final Path SHARED_ROSTER = Path.of(System.getProperty("coalition.root"), "..", "shared", "data",
            "coalition-roster.csv");

    @Test
    void thePublishedRosterImportsAs33ClustersIn16CountriesAndOnlyOnce() throws IOException {
        String roster = Files.readString(SHARED_ROSTER);

        JsonPath first = importCsv(roster);
        assertThat(first.getString("mode")).isEqualTo("per-row");
        assertThat(first.getInt("rows")).isEqualTo(33);
        assertThat(first.getInt("joined")).isEqualTo(33);
        assertThat(first.getInt("rejected")).isZero();

        Set<String> countries = new HashSet<>();
        for (String id : first.getList("results.clusterId", String.class)) {
            countries.add(given().when().get("/clusters/" + id).then().statusCode(200).extract().path("country"));
        }
        assertThat(countries).hasSize(16);
        given().when().get("/clusters/" + first.getString("results[0].clusterId"))
                .then().body("name", equalTo("Basque Net-Zero Industrial Super Cluster"))
                .body("figuresBasis", startsWith("apportioned"));

        JsonPath again = importCsv(roster);
        assertThat(again.getInt("joined")).isZero();
        assertThat(again.getInt("alreadyPresent")).isEqualTo(33);
        assertThat(again.getList("results.clusterId")).isEqualTo(first.getList("results.clusterId"));
    }

    @Test
    void theRosterTheLocalRunLoadsIsThePublishedOne() throws IOException {
        Path bundled = Path.of(System.getProperty("coalition.root"), "deploy", "local", "coalition-roster.csv");
        assertThat(Files.readString(bundled)).isEqualTo(Files.readString(SHARED_ROSTER));
    }

    @Test
    void badRowsAreReportedWithTheirReasonsAndTheGoodOnesStillJoin() {
        String csv = """
                name,country,joined_on,sectors,port_anchored,emissions_reduction_mt_per_year,jobs,gdp_usd_bn,figures_basis
                Bad Country Cluster,Narnia,2025-01-22,STEEL,,1.000,10,1.000,
                Bad Date Cluster,GB,2025-13-45,STEEL,,1.000,10,1.000,
                Bad Sector Cluster,GB,2025-01-22,STEEL;WIZARDRY,,1.000,10,1.000,
                Negative Jobs Cluster,GB,2025-01-22,STEEL,,1.000,-10,1.000,
                Good Import Cluster,GB,2025-01-22,STEEL,true,1.500,10,2.250,self-reported 2024
                GOOD IMPORT CLUSTER,GB,2025-01-22,STEEL,,1.000,10,1.000,
                """;
        JsonPath result = importCsv(csv);

        assertThat(result.getInt("rows")).isEqualTo(6);
        assertThat(result.getInt("joined")).isEqualTo(1);
        assertThat(result.getInt("alreadyPresent")).isEqualTo(1);
        assertThat(result.getInt("rejected")).isEqualTo(4);
        assertThat(result.getList("results.outcome")).containsExactly("REJECTED", "REJECTED", "REJECTED", "REJECTED",
                "JOINED", "ALREADY_PRESENT");
        assertThat(result.getList("results.row", Integer.class)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(result.getString("results[0].errors[0]")).startsWith("country:");
        assertThat(result.getString("results[1].errors[0]")).startsWith("joined_on:");
        assertThat(result.getString("results[2].errors[0]")).startsWith("sectors:");
        assertThat(result.getString("results[3].errors[0]")).startsWith("jobs:");
        assertThat(result.getString("results[5].clusterId")).isEqualTo(result.getString("results[4].clusterId"));
    }

    /**
     * An import larger than a transaction's share: every row has its own outcome, a cluster named twice (in the same
     * transaction's rows or in another's) joins once, and every cluster that joined has exactly one ClusterJoined.
     */
    @Test
    void aLargeImportJoinsEachClusterOnceWithOneEventEach() throws IOException {
        int rows = RosterImport.ROWS_PER_TRANSACTION * 2 + 234;
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            requests.add(Map.of("name", "Large Import " + i, "country", "NO", "joinedOn", "2025-01-22",
                    "sectors", List.of("POWER"), "emissionsReductionMtPerYear", 1, "jobs", i, "gdpUsdBn", 1));
        }
        requests.set(699, Map.of("name", "LARGE IMPORT 10", "country", "NO", "joinedOn", "2025-01-22",
                "sectors", List.of("POWER"), "emissionsReductionMtPerYear", 1, "jobs", 1, "gdpUsdBn", 1));
        requests.set(1100, requests.get(1099));
        requests.set(1150, Map.of("name", "Large Import without jobs", "country", "NO"));

        JsonPath result = given().contentType(ContentType.JSON).body(requests).when().post("/clusters/import")
                .then().statusCode(200).extract().jsonPath();

        assertThat(result.getInt("rows")).isEqualTo(rows);
        assertThat(result.getInt("joined")).isEqualTo(rows - 3);
        assertThat(result.getList("results.row", Integer.class)).isEqualTo(
                IntStream.rangeClosed(1, rows).boxed().toList());
        assertThat(result.getString("results[699].outcome")).isEqualTo("ALREADY_PRESENT");
        assertThat(result.getString("results[699].clusterId")).isEqualTo(result.getString("results[9].clusterId"));
        assertThat(result.getString("results[1100].outcome")).isEqualTo("ALREADY_PRESENT");
        assertThat(result.getString("results[1100].clusterId")).isEqualTo(result.getString("results[1099].clusterId"));
        assertThat(result.getString("results[1150].outcome")).isEqualTo("REJECTED");

        Set<String> joined = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            if ("JOINED".equals(result.getString("results[" + i + "].outcome"))) {
                joined.add(result.getString("results[" + i + "].clusterId"));
            }
        }
        assertThat(joined).hasSize(rows - 3);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(clusterEvents.eventsFor(joined))
                .hasSizeGreaterThanOrEqualTo(joined.size()));
        List<ConsumerRecord<String, String>> events = clusterEvents.eventsFor(joined);
        assertThat(events).hasSize(joined.size());
        assertThat(events.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(joined);
        assertThat(events).allSatisfy(event -> assertThat(ClusterEventsTopic.header(event, "ce_type"))
                .isEqualTo("org.coalitiontracker.ClusterJoined.v1"));
        // The events go out in the order of the rows (each joined row's jobs are its number): consumers read a
        // partition in that order.
        Map<Integer, List<Long>> jobsByPartition = new TreeMap<>();
        for (ConsumerRecord<String, String> event : events) {
            jobsByPartition.computeIfAbsent(event.partition(), partition -> new ArrayList<>())
                    .add(mapper.readTree(event.value()).get("jobs").asLong());
        }
        assertThat(jobsByPartition.values()).allSatisfy(jobs -> assertThat(jobs).isSorted());
    }

    /**
     * With Prefer: respond-async the import answers at once, 202 with its progress at its Location, and the progress
     * ends with every row's result; importing the same rows again finds them present.
     */
    @Test
    void anImportInTheBackgroundAnswersAtOnceAndItsProgressEndsWithEveryRow() {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 1; i <= RosterImport.ROWS_PER_TRANSACTION + 100; i++) {
            requests.add(Map.of("name", "Background Import " + i, "country", "IS", "joinedOn", "2025-01-22",
                    "sectors", List.of("POWER"), "emissionsReductionMtPerYear", 1, "jobs", i, "gdpUsdBn", 1));
        }
        requests.add(Map.of("name", "Background Import without figures", "country", "IS"));
        int rows = requests.size();

        String location = given().header("Prefer", "respond-async").contentType(ContentType.JSON).body(requests)
                .when().post("/clusters/import").then().statusCode(202)
                .header("Preference-Applied", "respond-async").body("rows", equalTo(rows))
                .body("results", nullValue()).extract().header("Location");
        assertThat(location).contains("/clusters/import/");
        JsonPath ended = await().atMost(Duration.ofSeconds(60)).until(() -> given().when().get(location).then()
                .statusCode(200).extract().jsonPath(), progress -> !"RUNNING".equals(progress.getString("state")));

        assertThat(ended.getString("state")).isEqualTo("FINISHED");
        assertThat(ended.getInt("done")).isEqualTo(rows);
        assertThat(ended.getInt("joined")).isEqualTo(rows - 1);
        assertThat(ended.getInt("rejected")).isEqualTo(1);
        assertThat(ended.getList("results.row", Integer.class))
                .isEqualTo(IntStream.rangeClosed(1, rows).boxed().toList());
        given().when().get("/clusters/" + ended.getString("results[0].clusterId")).then().statusCode(200)
                .body("name", equalTo("Background Import 1"));

        String again = given().header("Prefer", "respond-async").contentType(ContentType.JSON).body(requests)
                .when().post("/clusters/import").then().statusCode(202).extract().header("Location");
        JsonPath second = await().atMost(Duration.ofSeconds(60)).until(() -> given().when().get(again).then()
                .extract().jsonPath(), progress -> !"RUNNING".equals(progress.getString("state")));
        assertThat(second.getInt("alreadyPresent")).isEqualTo(rows - 1);
        assertThat(second.getList("results.clusterId")).isEqualTo(ended.getList("results.clusterId"));

        given().when().get("/clusters/import/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/clusters/import/not-an-id").then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", contains("id"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a row longer than the header | line 2   | name,country/Too Long,GB,extra,columns/
            an unterminated quote        | closing quote | name,country/"Unterminated,GB/
            an empty body                | is empty |
            only blanks                  | is empty | /  /
            """)
    void aCsvThatCannotBeReadIsABadRequestThatSaysWhere(String what, String where, String linesBySlashes) {
        given().contentType("text/csv").body(linesBySlashes == null ? "" : linesBySlashes.replace('/', '\n'))
                .when().post("/clusters/import")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString(where));
    }

    @Test
    void aCsvWithAByteOrderMarkAsSpreadsheetsWriteItIsRead() {
        String csv = "\uFEFFname,country,joined_on,sectors,port_anchored,emissions_reduction_mt_per_year,jobs,"
                + "gdp_usd_bn,figures_basis\nByte Order Mark Cluster,GB,2024-02-01,STEEL,,1.000,10,1.000,\n";
        JsonPath result = given().contentType("text/csv; charset=UTF-8").body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post("/clusters/import")
                .then().statusCode(200).extract().jsonPath();

        assertThat(result.getList("results.outcome")).containsExactly("JOINED");
    }

    @Test
    void theSameClusterJoiningTwiceIsAConflictWithALinkToIt() {
        String location = given().contentType(ContentType.JSON).body(join("Porto de Pecém Complex", "BR"))
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");

        given().contentType(ContentType.JSON).body(join("  PORTO DE PECEM complex ", "BR"))
                .when().post("/clusters")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .header("Link", containsString(location))
                .body("existing", equalTo(location));

        given().contentType(ContentType.JSON).body(join("Porto de Pecém Complex", "PT"))
                .when().post("/clusters")
                .then().statusCode(201);
    }

    @Test
    void aJsonArrayImportsRowByRow() {
        JsonPath result = given().contentType(ContentType.JSON)
                .body(List.of(join("Json Import Cluster", "DE"), Map.of("name", "No Figures Cluster")))
                .when().post("/clusters/import")
                .then().statusCode(200).extract().jsonPath();

        assertThat(result.getList("results.outcome")).containsExactly("JOINED", "REJECTED");
        assertThat(result.getList("results[1].errors", String.class)).contains("jobs: must not be null");
    }

    private static JsonPath importCsv(String csv) {
        return given().contentType("text/csv").body(csv)
                .when().post("/clusters/import")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> join(String name, String country) {
        return Map.of("name", name, "country", country, "joinedOn", "2024-01-16", "sectors", List.of("STEEL"),
                "emissionsReductionMtPerYear", 1, "jobs", 10, "gdpUsdBn", 1);
    }
}
