package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coalitiontracker.membership.ClusterEventsTopic.header;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.localinfra.EventContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;

@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class JoinClusterTest extends WatchesClusterEvents {

    @Inject
    InMemorySpanExporter spans;

    private static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    @Test
    void aJoinIsStoredAndAnnouncedAsClusterJoined() throws Exception {
        String location = given().contentType(ContentType.JSON)
                .body(join("Porto do Açu Low Carbon Hub", "BR", "HYDROGEN", "STEEL"))
                .when().post("/clusters")
                .then().statusCode(201)
                .header("Location", startsWith("http"))
                .extract().header("Location");

        String id = location.substring(location.lastIndexOf('/') + 1);
        given().config(EXACT).when().get(location)
                .then().statusCode(200)
                .body("clusterId", equalTo(id))
                .body("id", equalTo(id))
                .body("name", equalTo("Porto do Açu Low Carbon Hub"))
                .body("country", equalTo("BR"))
                .body("region", equalTo("AMERICAS"))
                .body("joinedOn", equalTo("2025-01-22"))
                .body("sectors", hasItem("STEEL"))
                .body("emissionsReductionMtPerYear", equalTo(new BigDecimal("15.846")))
                .body("jobs", equalTo(69231))
                .body("gdpUsdBn", equalTo(new BigDecimal("10.000")))
                .body("version", equalTo(1));

        ConsumerRecord<String, String> event = awaitEventFor(id);
        EventContract.clusterJoinedV1().assertKeptBy(event.value());
        assertThat(header(event, "ce_type")).isEqualTo("org.coalitiontracker.ClusterJoined.v1");
        assertThat(header(event, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(event, "ce_source")).isEqualTo("urn:coalition-tracker:membership-service");
        assertThat(header(event, "ce_id")).isNotBlank();
        assertThat(header(event, "ce_time")).isNotBlank();
        assertThat(header(event, "ce_dataschema")).isEqualTo("/contracts/cluster-joined-v1.schema.json");

        JsonNode data = mapper.readTree(event.value());
        assertThat(data.get("name").asText()).isEqualTo("Porto do Açu Low Carbon Hub");
        assertThat(data.get("region").asText()).isEqualTo("AMERICAS");
        assertThat(data.get("emissionsReductionMtPerYear").decimalValue()).isEqualByComparingTo("15.846");
        assertThat(data.get("jobs").asLong()).isEqualTo(69231);
        assertThat(data.get("gdpUsdBn").decimalValue()).isEqualByComparingTo("10.000");
        assertThat(data.get("version").asInt()).isEqualTo(1);
    }

    @Test
    void eachJoinGetsItsOwnEvent() {
        String first = joinAndReturnId(join("Newcastle Hydrogen Hub", "AU", "RENEWABLES"));
        String second = joinAndReturnId(join("Map Ta Phut Industrial Estate", "TH", "CEMENT", "CCS"));

        String firstEventId = header(awaitEventFor(first), "ce_id");
        String secondEventId = header(awaitEventFor(second), "ce_id");
        assertThat(firstEventId).isNotEqualTo(secondEventId);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheOriginalAnswerAndNoSecondEvent() {
        Map<String, Object> body = join("Tarragona Chemical Cluster", "ES", "CHEMICALS");
        String location = given().contentType(ContentType.JSON).header("Idempotency-Key", "join-tarragona-1")
                .body(body).when().post("/clusters")
                .then().statusCode(201).extract().header("Location");

        given().contentType(ContentType.JSON).header("Idempotency-Key", "join-tarragona-1")
                .body(body).when().post("/clusters")
                .then().statusCode(201)
                .header("Location", equalTo(location))
                .header("Idempotent-Replayed", equalTo("true"))
                .body("name", equalTo("Tarragona Chemical Cluster"));

        given().contentType(ContentType.JSON).body(body).when().post("/clusters")
                .then().statusCode(409);
        Map<String, Object> other = new HashMap<>(body);
        other.put("jobs", 1);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "join-tarragona-1")
                .body(other).when().post("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("Idempotency-Key"));

        // The relay publishes in order: once a later join's event is out, a duplicate would be out too.
        String id = location.substring(location.lastIndexOf('/') + 1);
        awaitEventFor(joinAndReturnId(join("Huelva Energy Cluster", "ES", "REFINING")));
        assertThat(clusterEvents.eventsFor(List.of(id))).hasSize(1);
    }

    /**
     * Publishers retry and race: joins of one cluster that arrive together give one member, one 201 and a 409 for
     * each of the others (never a 500 from the unique index that settles the race), and one event.
     */
    @Test
    void simultaneousJoinsOfOneClusterMakeOneMemberAndConflicts() throws Exception {
        for (int round = 0; round < 5; round++) {
            Map<String, Object> body = join("Simultaneous Cluster " + round, "NL", "PORT_LOGISTICS");
            List<Integer> statuses = simultaneously(12, () -> given().contentType(ContentType.JSON).body(body)
                    .when().post("/clusters").then().extract().statusCode());
            assertThat(statuses).as("round %d", round).containsOnly(201, 409).containsOnlyOnce(201);
        }
    }

    @Test
    void simultaneousRetriesWithOneIdempotencyKeyAllGetTheOriginalAnswer() throws Exception {
        for (int round = 0; round < 5; round++) {
            Map<String, Object> body = join("Retried Cluster " + round, "NL", "HYDROGEN");
            String key = "simultaneous-retry-" + round;
            List<String> locations = simultaneously(12, () -> given().contentType(ContentType.JSON)
                    .header("Idempotency-Key", key).body(body).when().post("/clusters")
                    .then().statusCode(201).extract().header("Location"));
            assertThat(locations).as("round %d", round).hasSize(12).containsOnly(locations.get(0));
        }
    }

    /** Runs the call from that many threads at once and returns what each returned. */
    private static <T> List<T> simultaneously(int threads, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            List<T> values = new ArrayList<>();
            for (Future<T> result : results) {
                values.add(result.get(30, TimeUnit.SECONDS));
            }
            return values;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/clusters'.post", notNullValue())
                .body("paths.'/clusters/import'.post", notNullValue())
                .body("paths.'/roster/summary'.get", notNullValue());
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void theContractServedByTheServiceIsTheOneTestsCheck() {
        given().when().get("/contracts/cluster-joined-v1.schema.json")
                .then().statusCode(200)
                .body("title", equalTo("ClusterJoined v1"));
    }

    static Stream<Arguments> badJoins() {
        return Stream.of(
                Arguments.of("name", Map.of("name", "")),
                Arguments.of("name", Map.of("name", "x".repeat(201))),
                Arguments.of("country", Map.of("country", "Brazil")),
                Arguments.of("country", Map.of("country", "br")),
                Arguments.of("country", Map.of("country", "ZZ")),
                Arguments.of("joinedOn", Map.of("joinedOn", LocalDate.now(ZoneOffset.MAX).plusDays(1).toString())),
                Arguments.of("sectors", Map.of("sectors", new String[0])),
                Arguments.of("emissionsReductionMtPerYear", Map.of("emissionsReductionMtPerYear", -1)),
                Arguments.of("emissionsReductionMtPerYear", Map.of("emissionsReductionMtPerYear", new BigDecimal("1.0001"))),
                Arguments.of("jobs", Map.of("jobs", -5)),
                Arguments.of("gdpUsdBn", Map.of("gdpUsdBn", -0.5)));
    }

    @ParameterizedTest(name = "{1} is refused as a bad {0}")
    @MethodSource("badJoins")
    void aBadJoinIsRefusedNamingTheField(String field, Map<String, Object> override) {
        Map<String, Object> body = new HashMap<>(join("Bad Cluster", "GB", "STEEL"));
        body.putAll(override);
        given().contentType(ContentType.JSON).body(body)
                .when().post("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.field", hasItem(field));
    }

    @Test
    void anEmptyJoinNamesEveryMissingField() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("country", "emissionsReductionMtPerYear", "gdpUsdBn",
                        "jobs", "joinedOn", "name", "sectors"));
    }

    static Stream<Arguments> unreadableJoins() {
        return Stream.of(
                Arguments.of("sectors[1]", "{\"sectors\": [\"STEEL\", \"WIZARDRY\"]}"),
                Arguments.of("joinedOn", "{\"joinedOn\": \"22/01/2025\"}"),
                Arguments.of("jobs", "{\"jobs\": \"many\"}"));
    }

    @ParameterizedTest(name = "{1} is refused naming {0}")
    @MethodSource("unreadableJoins")
    void anUnreadableJoinIsRefusedNamingTheField(String field, String body) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(field));
    }

    @Test
    void malformedJsonIsAProblemNotACrash() {
        given().contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid request"));
    }

    @Test
    void anUnknownClusterIsNotFound() {
        given().when().get("/clusters/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static Map<String, Object> join(String name, String country, String... sectors) {
        return Map.of("name", name, "country", country, "joinedOn", "2025-01-22", "sectors", sectors,
                "portAnchored", true, "emissionsReductionMtPerYear", new BigDecimal("15.846"), "jobs", 69231,
                "gdpUsdBn", new BigDecimal("10.000"));
    }

    private static String joinAndReturnId(Map<String, Object> body) {
        String location = given().contentType(ContentType.JSON).body(body)
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /**
     * A join and its Kafka record make one trace, though the relay sends the record later, from the outbox: the
     * record's traceparent names the send's span, which continues the request's trace.
     */
    @Test
    void aJoinAndItsRecordOnClusterEventsMakeOneTrace() {
        String location = given().contentType(ContentType.JSON).body(join("Gladstone Hydrogen Hub", "AU", "HYDROGEN"))
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");
        String traceParent = header(awaitEventFor(location.substring(location.lastIndexOf('/') + 1)), "traceparent");
        assertThat(traceParent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String traceId = traceParent.split("-")[1];
        String sendId = traceParent.split("-")[2];

        List<SpanData> trace = await().atMost(Duration.ofSeconds(20)).until(() -> spans.getFinishedSpanItems()
                .stream().filter(span -> span.getTraceId().equals(traceId)).toList(),
                found -> found.stream().anyMatch(span -> span.getSpanId().equals(sendId)));
        SpanData request = trace.stream().filter(span -> span.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        SpanData send = trace.stream().filter(span -> span.getSpanId().equals(sendId)).findFirst().orElseThrow();
        assertThat(request.getName()).isEqualTo("POST /clusters");
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getName()).isEqualTo("cluster-events publish");
        assertThat(ancestors(send, trace)).as("the send continues the request").contains(request.getSpanId());
    }

    /** The ids of a span's parent, its parent's parent, and so on, as far as the trace holds them. */
    private static List<String> ancestors(SpanData span, List<SpanData> trace) {
        Map<String, SpanData> byId = new HashMap<>();
        trace.forEach(each -> byId.put(each.getSpanId(), each));
        List<String> ancestors = new ArrayList<>();
        for (SpanData parent = byId.get(span.getParentSpanId()); parent != null; parent = byId
                .get(parent.getParentSpanId())) {
            ancestors.add(parent.getSpanId());
        }
        return ancestors;
    }

    private ConsumerRecord<String, String> awaitEventFor(String clusterId) {
        return clusterEvents.awaitEventsFor(clusterId, 1).get(0);
    }

}
