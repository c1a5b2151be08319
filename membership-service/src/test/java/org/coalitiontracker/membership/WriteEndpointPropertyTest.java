package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.ClusterEventReader;
import org.coalitiontracker.localinfra.HostileClusterRecords;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Hostile and boundary bodies for every write endpoint, generated (jqwik's generators, from a fixed seed so that a
 * failure can be replayed), with the invariants a publisher relies on: never a 5xx, a 4xx is problem+json in the
 * API's words (no Java type names), what is accepted is stored exactly as accepted, and its event is one every
 * consumer applies (the event contracts' rule).
 */
@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class WriteEndpointPropertyTest extends WatchesClusterEvents {

    private static final long SEED = 20261202L;
    private static final int JOINS = 400;
    private static final int CHANGES = 150;
    private static final int IMPORTS = 40;
    /** Writes non-ASCII as escapes, so that a body can carry what a careless client sends (a lone surrogate). */
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final ClusterEventReader RULE = new ClusterEventReader();

    private final Random random = new Random(SEED);
    private final Map<Integer, Integer> statuses = new TreeMap<>();

    @Test
    void noBodyBreaksAWriteEndpointAndWhatIsAcceptedIsStoredAndAnnouncedAsEveryConsumerCanApply() throws Exception {
        List<String> joins = HostileClusterRecords.sample(Arbitraries.integers().between(0, Integer.MAX_VALUE)
                .flatMap(WriteEndpointPropertyTest::joins), SEED, JOINS);
        List<String> revisions = HostileClusterRecords.sample(revisions(), SEED + 1, CHANGES);
        List<String> withdrawals = HostileClusterRecords.sample(withdrawals(), SEED + 2, CHANGES);
        List<String> accepted = new ArrayList<>();
        int changes = 0;
        for (String body : joins) {
            Response response = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                    .when().post("/clusters");
            check(response, body);
            if (response.statusCode() == 201) {
                accepted.add(response.jsonPath().getString("clusterId"));
                assertStoredAsSent(response.jsonPath().getString("clusterId"), mapper.readTree(body));
            }
        }
        // Imports, a JSON array of joins at a time: per-row results, or a 400 for a body that is no array of them.
        List<String> more = HostileClusterRecords.sample(Arbitraries.integers().between(0, Integer.MAX_VALUE)
                .flatMap(WriteEndpointPropertyTest::joins), SEED + 3, IMPORTS * 4);
        for (int i = 0; i < IMPORTS; i++) {
            String body = "[" + String.join(",", more.subList(i * 4, i * 4 + 1 + random.nextInt(4))) + "]";
            Response response = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                    .when().post("/clusters/import");
            check(response, body);
            if (response.statusCode() == 200) {
                List<Map<String, Object>> results = response.jsonPath().getList("results");
                results.stream().filter(result -> "JOINED".equals(result.get("outcome")))
                        .forEach(result -> accepted.add((String) result.get("clusterId")));
            }
        }
        for (int i = 0; i < CHANGES && !accepted.isEmpty(); i++) {
            String id = accepted.get(random.nextInt(accepted.size()));
            boolean withdrawal = random.nextInt(4) == 0;
            String body = withdrawal ? withdrawals.get(i) : revisions.get(i);
            Response response = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                    .when().request(withdrawal ? "POST" : "PATCH",
                            "/clusters/" + id + (withdrawal ? "/withdrawal" : "/figures"));
            check(response, body);
            changes += response.statusCode() == 200 ? 1 : 0;
        }

        // Every event of an accepted change is one each consumer applies.
        int expected = accepted.size() + changes;
        List<ConsumerRecord<String, String>> events = await().atMost(Duration.ofSeconds(60))
                .until(() -> clusterEvents.eventsFor(accepted), all -> all.size() >= expected);
        for (ConsumerRecord<String, String> event : events) {
            assertThat(RULE.read(event.key().getBytes(StandardCharsets.UTF_8), ClusterEventsTopic.header(event,
                    "ce_type"), ClusterEventsTopic.header(event, "ce_id"), event.value().getBytes(StandardCharsets.UTF_8))
                    .problem()).as(event.value()).isNull();
        }
        System.out.printf("Write endpoints: %d generated bodies, answers %s, %d events, each one a consumer applies%n",
                JOINS + IMPORTS + CHANGES, statuses, events.size());
        assertThat(statuses).containsKeys(201, 400);
    }

    private void check(Response response, String body) {
        statuses.merge(response.statusCode(), 1, Integer::sum);
        assertThat(response.statusCode()).as(body).isIn(200, 201, 400, 409);
        if (response.statusCode() >= 400) {
            assertThat(response.contentType()).as(body).isEqualTo("application/problem+json");
            assertThat(response.asString()).as(body).doesNotContain("java.", "org.coalitiontracker", "Exception");
        }
    }

    /** The cluster as stored is the body as sent: the name without outer spaces, the figures to the thousandth. */
    private void assertStoredAsSent(String id, JsonNode sent) throws Exception {
        JsonNode stored = mapper.readTree(given().when().get("/clusters/" + id).then().statusCode(200).extract()
                .asString());
        assertThat(stored.get("name").asText()).isEqualTo(sent.get("name").asText().strip());
        assertThat(stored.get("joinedOn").asText()).isEqualTo(sent.get("joinedOn").asText());
        assertThat(stored.get("jobs").asLong()).isEqualTo(sent.get("jobs").asLong());
        for (String figure : List.of("emissionsReductionMtPerYear", "gdpUsdBn")) {
            assertThat(stored.get(figure).decimalValue()).isEqualByComparingTo(new BigDecimal(sent.get(figure)
                    .asText()));
        }
    }

    /** A join: every field at or within its bounds two times in five; otherwise one field, or the body, broken. */
    private static Arbitrary<String> joins(int i) {
        Arbitrary<Map<String, Object>> valid = Combinators.combine(names(i), Arbitraries.of("GB", "BR", "IN", "AU"),
                dates(), Arbitraries.of(List.of("STEEL"), List.of("HYDROGEN", "CCS", "HYDROGEN")), figures(), jobs(),
                figures(), texts())
                .as((name, country, joinedOn, sectors, emissions, jobs, gdp, basis) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("name", name);
                    body.put("country", country);
                    body.put("joinedOn", joinedOn);
                    body.put("sectors", sectors);
                    body.put("emissionsReductionMtPerYear", emissions);
                    body.put("jobs", jobs);
                    body.put("gdpUsdBn", gdp);
                    body.put("figuresBasis", basis);
                    return body;
                });
        Arbitrary<Tuple.Tuple2<String, Object>> broken = Arbitraries.oneOf(
                Arbitraries.of("x".repeat(201), "", "   ", "\u200b", "nul\u0000", "lone \ud800", "tab\t",
                        "\ufdfa".repeat(12)).map(name -> Tuple.of("name", name)),
                Arbitraries.of("gb", "GBR", "", "ZZ").map(country -> Tuple.of("country", country)),
                Arbitraries.<Object> of("1899-12-31", "-5000-01-01", "+10000-01-01",
                        LocalDate.now(ZoneOffset.UTC).plusDays(3).toString(), "2025-02-30", "22/01/2025", "",
                        20250101, false).map(date -> Tuple.of("joinedOn", date)),
                Arbitraries.<Object> of(List.of(), List.of("steel"), List.of("WIZARDRY"), "STEEL",
                        Collections.nCopies(33, "STEEL")).map(sectors -> Tuple.of("sectors", sectors)),
                Arbitraries.of("emissionsReductionMtPerYear", "gdpUsdBn").flatMap(figure -> Arbitraries.<Object> of(
                        new BigDecimal("10000.001"), new BigDecimal("-0.001"), new BigDecimal("1.0001"),
                        new BigDecimal("1E+400"), "abc", true).map(value -> Tuple.of(figure, value))),
                Arbitraries.<Object> of(10_000_001L, -1L, Long.MAX_VALUE, 1.9, "1.9",
                        new BigDecimal("9223372036854775808"), true).map(jobs -> Tuple.of("jobs", jobs)),
                Arbitraries.<Object> of("x".repeat(501), "a\nb", "nul\u0000").map(basis -> Tuple.of("figuresBasis",
                        basis)),
                Arbitraries.of("name", "country", "joinedOn", "sectors", "jobs").map(field -> Tuple.of(field, null)));
        Arbitrary<String> oneFieldBroken = Combinators.combine(valid, broken).as((body, field) -> {
            body.put(field.get1(), field.get2());
            return json(body);
        });
        return Arbitraries.frequencyOf(Tuple.of(4, valid.map(WriteEndpointPropertyTest::json)),
                Tuple.of(5, oneFieldBroken),
                Tuple.of(1, Arbitraries.of("not JSON", "", "[]", "null", "{\"name\": ", "{\"jobs\": 1, \"jobs\": 2}",
                        "{} trailing")));
    }

    /** A revision: its figures within their bounds half the time, one broken otherwise. */
    private static Arbitrary<String> revisions() {
        return Combinators.combine(Arbitraries.oneOf(figures(), brokenFigures()), Arbitraries.oneOf(jobs(),
                Arbitraries.<Object> of(10_000_001L, -1L, 1.9, "x")), figures(), texts())
                .as((emissions, jobs, gdp, basis) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("emissionsReductionMtPerYear", emissions);
                    body.put("jobs", jobs);
                    body.put("gdpUsdBn", gdp);
                    body.put("figuresBasis", basis);
                    return json(body);
                });
    }

    private static Arbitrary<String> withdrawals() {
        return Combinators.combine(Arbitraries.oneOf(dates(), Arbitraries.<Object> of("1899-12-31", "-5000-01-01",
                "2025-02-30", 7)), Arbitraries.oneOf(texts(), Arbitraries.<Object> of("a\u0000b", "x".repeat(501))))
                .as((withdrawnOn, reason) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("withdrawnOn", withdrawnOn);
                    body.put("reason", reason);
                    return json(body);
                });
    }

    /** Names unique per body, so that most joins are new: plain, accented, long, or such as a spreadsheet would run. */
    private static Arbitrary<Object> names(int i) {
        String unique = " " + i;
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().withChars("\u00c0\u00c9\u00e7\u00f1' -").ofMinLength(1).ofMaxLength(40)
                        .map(name -> name + unique),
                Arbitraries.of("Porto do A\u00e7u" + unique, "\ud83c\udfed".repeat(190) + unique,
                        "\u202eright-to-left" + unique, "=formula" + unique, "  spaced out  " + unique));
    }

    /**
     * Dates a cluster may have joined or withdrawn on, from 2024 to today: RosterQueriesTest checks the roster's
     * published totals of earlier dates on the database these tests share (EdgeTest tries 1900-01-01).
     */
    private static Arbitrary<Object> dates() {
        LocalDate first = LocalDate.of(2024, 1, 1);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return Arbitraries.oneOf(Arbitraries.integers().between(0, (int) (today.toEpochDay() - first.toEpochDay()))
                .map(days -> first.plusDays(days).toString()), Arbitraries.of(today.toString()));
    }

    private static Arbitrary<Object> figures() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("10000")).ofScale(3),
                Arbitraries.<Object> of(BigDecimal.ZERO, new BigDecimal("10000.000"), new BigDecimal("1.5000"),
                        new BigDecimal("1E+3"), "1.5"));
    }

    private static Arbitrary<Object> brokenFigures() {
        return Arbitraries.<Object> of(new BigDecimal("10000.001"), new BigDecimal("-0.001"), "abc", true);
    }

    private static Arbitrary<Object> jobs() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 10_000_000), Arbitraries.<Object> of(0L, 10_000_000L,
                "5"));
    }

    private static Arbitrary<Object> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMaxLength(30), Arbitraries.<Object> of("apportioned",
                "\u00e9".repeat(500), 7));
    }

    private static String json(Map<String, Object> body) {
        try {
            return ESCAPING.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
