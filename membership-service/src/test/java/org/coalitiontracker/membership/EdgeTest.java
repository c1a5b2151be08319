package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.ClusterEventReader;
import org.coalitiontracker.contracts.ClusterEventReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * The edge refuses what the system cannot hold, with a 400 that names the field: each input that a hostile review got
 * through the API (and that then broke something downstream or answered 500) is here, refused.
 */
@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class EdgeTest extends WatchesClusterEvents {

    private static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            joinedOn                    | "-5000-01-01"                 | must be a date from 1900-01-01 to today
            joinedOn                    | "1899-12-31"                  | must be a date from 1900-01-01 to today
            jobs                        | 9223372036854775807           | must be less than or equal to 10000000
            jobs                        | 10000001                      | must be less than or equal to 10000000
            jobs                        | 1.9                           | must be a whole number
            jobs                        | "1.9"                         | must be a whole number
            emissionsReductionMtPerYear | 10000.001                     | must be a number from 0 to 10000.000 with at most 3 decimals
            gdpUsdBn                    | 1000000000                    | must be a number from 0 to 10000.000 with at most 3 decimals
            gdpUsdBn                    | "abc"                         | must be a number
            name                        | "nul\\u0000inside"             | must not contain control characters (such as NUL, tab or line breaks)
            name                        | "lone \\ud800 surrogate"       | must be valid Unicode text (it has an unpaired surrogate)
            name                        | "\\u200b"                      | must have a visible character (a letter, digit, punctuation mark or symbol)
            name                        | "\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa\\ufdfa" | is too long once normalised for the duplicate check (at most 200 characters after accents are taken apart and letters such as ß spelled out)
            figuresBasis                | "nul\\u0000"                   | must not contain control characters (such as NUL, tab or line breaks)
            sectors                     | ["STEEL","WIZARDRY"]          | must be one of STEEL, CEMENT, CHEMICALS, REFINING, PETROCHEMICALS, HYDROGEN, AMMONIA, POWER, RENEWABLES, CCS, GAS, PORT_LOGISTICS, SHIPPING, AVIATION_FUELS, BATTERIES, MANUFACTURING, ALUMINIUM, PAPER, RECYCLING
            """)
    void aJoinOutsideTheBoundsIsRefusedNamingTheField(String field, String json, String message) {
        String body = joinJson("Edge " + UUID.randomUUID()).replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*]|[^,}]*)",
                "\"" + field + "\":" + json.replace("\\", "\\\\"));
        assertThat(body).contains("\"" + field + "\":" + json);

        given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(field.equals("sectors") ? "sectors[1]" : field))
                .body("violations.message", hasItem(message))
                .body(not(containsString("java.")));
    }

    @Test
    void everyWrongFieldIsNamedAtOnceTheUnreadableAsWellAsTheOutOfBounds() {
        String body = joinJson("Many Wrongs " + UUID.randomUUID()).replace("\"gdpUsdBn\":0.500", "\"gdpUsdBn\":\"abc\"")
                .replace("\"jobs\":10", "\"jobs\":1.9").replace("\"joinedOn\":\"2025-01-22\"", "\"joinedOn\":\"-5000-01-01\"")
                .replace("\"country\":\"GB\"", "\"country\":\"gb\"").replace("[\"STEEL\"]", "[\"STEEL\",\"WIZARDRY\"]");

        given().contentType(ContentType.JSON).body(body)
                .when().post("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("country", "gdpUsdBn", "jobs", "joinedOn", "sectors[1]"))
                .body("violations.find { it.field == 'gdpUsdBn' }.message", equalTo("must be a number"))
                .body("violations.find { it.field == 'jobs' }.message", equalTo("must be a whole number"))
                .body(not(containsString("java.")));
    }

    @Test
    void aBodyLargerThanTheServiceTakesIsAProblemToo() {
        byte[] body = new byte[11 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        given().contentType(ContentType.JSON).body(body)
                .when().post("/clusters")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("title", equalTo("Request entity too large"));
    }

    @Test
    void theApiDocumentsEveryBound() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("components.schemas.JoinRequest.properties.name.maxLength", equalTo(200))
                .body("components.schemas.JoinRequest.properties.jobs.maximum", equalTo(10_000_000))
                .body("components.schemas.JoinRequest.properties.emissionsReductionMtPerYear.maximum", equalTo(10000f))
                .body("components.schemas.JoinRequest.properties.gdpUsdBn.multipleOf", equalTo(0.001f))
                .body("components.schemas.JoinRequest.properties.joinedOn.description", containsString("1900-01-01"))
                .body("components.schemas.JoinRequest.properties.figuresBasis.maxLength", equalTo(500))
                .body("components.schemas.FiguresRevision.properties.jobs.maximum", equalTo(10_000_000))
                .body("components.schemas.Withdrawal.properties.withdrawnOn.description", containsString("1900-01-01"));
    }

    @Test
    void aBodyThatIsNoJsonObjectSaysWhatItMustBe() {
        for (String body : List.of("[]", "null", "42", "\"a string\"")) {
            given().contentType(ContentType.JSON).body(body).when().post("/clusters")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", equalTo("The body must be a JSON object"));
        }
    }

    @Test
    void aRevisionOutsideTheBoundsIsRefusedToo() {
        String id = joinAndReturnId(joinJson("Edge Revised " + UUID.randomUUID()));
        for (String figures : List.of("""
                {"emissionsReductionMtPerYear": 1, "jobs": 1.9, "gdpUsdBn": 1}""", """
                {"emissionsReductionMtPerYear": 1, "jobs": 9223372036854775807, "gdpUsdBn": 1}""", """
                {"emissionsReductionMtPerYear": 10000.0001, "jobs": 1, "gdpUsdBn": 1}""")) {
            given().contentType(ContentType.JSON).body(figures).when().patch("/clusters/" + id + "/figures")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body("{\"withdrawnOn\": \"-5000-01-01\"}")
                .when().post("/clusters/" + id + "/withdrawal")
                .then().statusCode(400).body("violations.field", hasItem("withdrawnOn"));
        given().contentType(ContentType.JSON).body("{\"withdrawnOn\": \"2025-06-30\", \"reason\": \"a\\u0000b\"}")
                .when().post("/clusters/" + id + "/withdrawal")
                .then().statusCode(400).body("violations.field", hasItem("reason"));
    }

    @Test
    void invisibleCharactersDoNotMakeASecondMemberOfTheSameCluster() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        joinAndReturnId(joinJson("dupcheck " + suffix));
        joinAndReturnId(joinJson("dup check " + suffix));

        for (String sameName : List.of("dup\u200bcheck " + suffix, "dup ch\u00adeck " + suffix,
                "dup\u00a0 check " + suffix, " DUPCHECK  " + suffix)) {
            given().contentType(ContentType.JSON).body(joinJson(sameName).getBytes(StandardCharsets.UTF_8))
                    .when().post("/clusters")
                    .then().statusCode(409).contentType("application/problem+json");
        }
    }

    /** Letters that Unicode does not take apart into a base and an accent fold as the directory's search folds them. */
    @Test
    void lettersWithoutADecompositionDoNotMakeASecondMemberOfTheSameCluster() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String first = joinAndReturnId(joinJson("Łódź Øresund Straße Ærø Œuvre Þing Hub " + suffix));

        for (String sameName : List.of("Lodz Oresund Strasse Aero Oeuvre Thing Hub " + suffix,
                "ŁODZ ØRESUND STRAẞE ÆRØ ŒUVRE ÞING HUB " + suffix, "łodz oresund straße aerø œuvre þing hub " + suffix)) {
            given().contentType(ContentType.JSON).body(joinJson(sameName).getBytes(StandardCharsets.UTF_8))
                    .when().post("/clusters")
                    .then().statusCode(409).contentType("application/problem+json")
                    .header("Link", containsString("/clusters/" + first + ">"));
        }
    }

    /** ß is spelled out as ss in the duplicate check's key, which holds 200 characters, as the name does. */
    @Test
    void aNameWhoseSpelledOutKeyIsLongerThanTheBoundIsRefused() {
        joinAndReturnId(joinJson("ß".repeat(100)));
        given().contentType(ContentType.JSON).body(joinJson("ß".repeat(101)).getBytes(StandardCharsets.UTF_8))
                .when().post("/clusters")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("name"))
                .body("violations.message", hasItem(containsString("letters such as ß spelled out")));
    }

    /** A value read back is the value written: at every bound, through the roster and its event. */
    @Test
    void valuesAtTheBoundsAreStoredAndAnnouncedExactlyAsWritten() throws Exception {
        String name = "\ud83c\udfed".repeat(199) + "\u00c7";
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "country", "BR", "joinedOn", "1900-01-01",
                "sectors", List.of("STEEL"), "emissionsReductionMtPerYear", new BigDecimal("10000.000"),
                "jobs", 10_000_000L, "gdpUsdBn", new BigDecimal("0.001")));
        body.put("figuresBasis", "\u00e9".repeat(500));
        String id = joinAndReturnId(body);

        given().config(EXACT).when().get("/clusters/" + id).then().statusCode(200)
                .body("name", equalTo(name))
                .body("joinedOn", equalTo("1900-01-01"))
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("10000.000")))
                .body("jobs", equalTo(10_000_000))
                .body("gdpUsdBn", equalTo(new BigDecimal("0.001")))
                .body("figuresBasis", equalTo("\u00e9".repeat(500)));
        ConsumerRecord<String, String> event = clusterEvents.awaitEventsFor(id, 1).get(0);
        JsonNode data = mapper.readTree(event.value());
        assertThat(data.get("name").asText()).isEqualTo(name);
        assertThat(data.get("joinedOn").asText()).isEqualTo("1900-01-01");
        assertThat(data.get("emissionsReductionMtPerYear").decimalValue()).isEqualByComparingTo("10000");
        assertThat(data.get("jobs").asLong()).isEqualTo(10_000_000L);
        // And every consumer applies it: what the API accepts, the consumers' one rule accepts.
        ClusterEventReading reading = new ClusterEventReader().read(event.key().getBytes(StandardCharsets.UTF_8),
                ClusterEventsTopic.header(event, "ce_type"), ClusterEventsTopic.header(event, "ce_id"),
                event.value().getBytes(StandardCharsets.UTF_8));
        assertThat(reading.problem()).isNull();

        // Withdrawn the day it joined, so that it counts on no date: the roster's published totals stay as they are.
        given().contentType(ContentType.JSON).body(Map.of("withdrawnOn", "1900-01-01"))
                .when().post("/clusters/" + id + "/withdrawal").then().statusCode(200);
    }

    @Test
    void aFigureWithTrailingZerosIsStoredToTheThousandth() {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Trailing Zeros " + UUID.randomUUID(), "country",
                "GB", "joinedOn", "2025-01-22", "sectors", List.of("STEEL"), "emissionsReductionMtPerYear",
                new BigDecimal("1.5000"), "jobs", 1, "gdpUsdBn", new BigDecimal("1E+3")));
        String id = joinAndReturnId(body);

        given().config(EXACT).when().get("/clusters/" + id).then()
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("1.500")))
                .body("gdpUsdBn", equalTo(new BigDecimal("1000.000")));
    }

    @ParameterizedTest(name = "asOf={0} is a bad request")
    @CsvSource({ "-999999999-01-01", "garbage", "2025-02-30", "1899-12-31" })
    void theRosterSummaryRefusesADateItCannotAnswerFor(String asOf) {
        given().queryParam("asOf", asOf).when().get("/roster/summary")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("asOf"));
    }

    @Test
    void aPathThatIsNotAClusterIdIsABadRequestNamingIt() {
        given().when().get("/clusters/1-1-1-1-1").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("id"));
        given().contentType(ContentType.JSON).body("{\"withdrawnOn\": \"2025-01-22\"}")
                .when().post("/clusters/not-an-id/withdrawal").then().statusCode(400)
                .body("violations.field", hasItem("id"));
    }

    private static String joinJson(String name) {
        return "{\"name\":\"" + name + "\",\"country\":\"GB\",\"joinedOn\":\"2025-01-22\",\"sectors\":[\"STEEL\"],"
                + "\"portAnchored\":true,\"emissionsReductionMtPerYear\":1.250,\"jobs\":10,\"gdpUsdBn\":0.500,"
                + "\"figuresBasis\":\"apportioned\"}";
    }

    private static String joinAndReturnId(Object body) {
        var request = given().contentType(ContentType.JSON);
        request = body instanceof String json ? request.body(json.getBytes(StandardCharsets.UTF_8)) : request.body(body);
        String location = request.when().post("/clusters").then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
