package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.endtoend.TraceCollector.Recorded;
import org.coalitiontracker.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The system as a user meets it (see {@link CoalitionSystem}): the published roster loads into the published
 * totals, then a join posted to membership-service shows in reporting-service's {@code GET /coalition}, through
 * Kafka and metrics-service, as one trace; a revision and a withdrawal move the totals back; reconciliation sees a
 * stray event. Tracing is on, exported to a {@link TraceCollector}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JoinToCoalitionTest {

    private static final String EVENT_ID = TraceAttributes.EVENT_ID.getKey();
    private static final String CLUSTER_ID = TraceAttributes.CLUSTER_ID.getKey();
    private static final String SCOPE = TraceAttributes.SCOPE.getKey();

    private static CoalitionSystem system;

    @BeforeAll
    static void startTheSystem() throws InterruptedException {
        system = CoalitionSystem.startTraced("e2e");
    }

    @AfterAll
    static void stopTheSystem() throws InterruptedException {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void theImportedRosterGivesThePublishedTotals() throws IOException {
        system.importRoster(CoalitionSystem.roster());

        // The newest published figures: as of 2025-01-22, when the roster was last complete.
        List<String> published = CoalitionSystem.publishedAggregates();
        String[] latest = published.get(published.size() - 1).split(",");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> coalition().getLong("clusters") == Long.parseLong(latest[1]));

        JsonPath coalition = coalition();
        assertThat(coalition.getLong("countries")).isEqualTo(Long.parseLong(latest[2]));
        assertThat(coalition.getObject("emissionsReductionMtPerYear", BigDecimal.class))
                .isEqualByComparingTo(latest[3]);
        assertThat(coalition.getLong("jobs")).isEqualTo(Long.parseLong(latest[4]));
        assertThat(coalition.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(latest[5]);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(system.metrics.baseUri())
                .when().get("/reconciliation")
                .then().statusCode(200).body("status", equalTo("EQUAL")));

        // The history of the totals, by the clusters' joining dates (PublishedFiguresTest checks each date), from the
        // directory: its own consumer of cluster-events, which may be a moment behind the totals.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(system.reporting.baseUri())
                .when().get("/coalition/history").then().statusCode(200)
                .body("asOf", hasItems("2021-11-02", "2025-01-22"))
                .body("clusters[-1]", equalTo(33)));
    }

    @Test
    @Order(2)
    void aJoinChangesTheCoalitionTotals() {
        JsonPath before = coalition();

        system.join("""
                {"name": "Luleå Fossil-Free Steel Cluster", "country": "SE", "joinedOn": "2025-06-30",
                 "sectors": ["STEEL", "HYDROGEN"], "portAnchored": true,
                 "emissionsReductionMtPerYear": 15.846, "jobs": 69230, "gdpUsdBn": 10.000}""");
        long accepted = System.nanoTime();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> coalition().getLong("clusters") == before.getLong("clusters") + 1);
        System.out.printf("join accepted -> GET /coalition changed: %d ms%n", (System.nanoTime() - accepted) / 1_000_000);

        JsonPath after = coalition();
        assertThat(after.getLong("countries")).isEqualTo(before.getLong("countries"));
        assertThat(after.getObject("emissionsReductionMtPerYear", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("emissionsReductionMtPerYear", BigDecimal.class).add(new BigDecimal("15.846")));
        assertThat(after.getLong("jobs")).isEqualTo(before.getLong("jobs") + 69230);
        assertThat(after.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("gdpUsdBn", BigDecimal.class).add(new BigDecimal("10.000")));
        assertThat(after.getString("updatedAt")).isNotBlank();
        assertThat(after.getString("lastEventId")).isNotBlank();
    }

    @Test
    @Order(3)
    void aJoinIsOneTraceFromItsRequestToTheViewsAndTheStream() {
        String location = system.join("""
                {"name": "Port Hedland Green Iron Hub", "country": "AU", "joinedOn": "2025-07-01",
                 "sectors": ["STEEL"], "portAnchored": true,
                 "emissionsReductionMtPerYear": 2.500, "jobs": 1200, "gdpUsdBn": 1.250}""");
        String clusterId = location.substring(location.lastIndexOf('/') + 1);

        // The join's trace: its request, its event recorded in the outbox, the relay's send, the directory's update.
        Recorded recorded = awaitSpan(span -> span.name().equals("outbox record")
                && clusterId.equals(span.attributes().get(CLUSTER_ID)));
        String eventId = recorded.attributes().get(EVENT_ID);
        List<Recorded> join = await().atMost(Duration.ofSeconds(30)).until(() -> inTrace(recorded.traceId()),
                trace -> trace.stream().anyMatch(span -> span.name().equals("cluster-events directory update")));
        Recorded request = named(join, "POST /clusters");
        Recorded send = named(join, "cluster-events publish");
        Recorded directory = named(join, "cluster-events directory update");
        assertThat(List.of(request.service(), recorded.service(), send.service(), directory.service()))
                .containsExactly("membership-service", "membership-service", "membership-service",
                        "reporting-service");
        assertThat(request.kind()).isEqualTo("SPAN_KIND_SERVER");
        assertThat(send.kind()).isEqualTo("SPAN_KIND_PRODUCER");
        assertThat(ancestors(send, join)).as("the send continues the request").contains(recorded.spanId(),
                request.spanId());
        assertThat(directory.parentSpanId()).as("the directory takes the record the relay sent")
                .isEqualTo(send.spanId());
        assertThat(directory.attributes()).containsEntry(EVENT_ID, eventId).containsEntry(CLUSTER_ID, clusterId);

        // metrics-service's batch links to the send (a batch is many traces), and its own trace goes on through the
        // totals it published to reporting-service's views and live stream.
        Recorded batch = awaitSpan(span -> span.name().equals("cluster-events apply")
                && span.links().stream().anyMatch(link -> link.spanId().equals(send.spanId())));
        assertThat(batch.service()).isEqualTo("metrics-service");
        // The link names the send, whose parent names the event and the cluster.
        assertThat(batch.links()).filteredOn(link -> link.spanId().equals(send.spanId())).singleElement()
                .satisfies(link -> assertThat(link.traceId()).isEqualTo(send.traceId()));
        assertThat(send.parentSpanId()).isEqualTo(recorded.spanId());
        List<Recorded> totals = await().atMost(Duration.ofSeconds(30)).until(() -> inTrace(batch.traceId()),
                trace -> trace.stream().filter(span -> "coalition".equals(span.attributes().get(SCOPE)))
                        .map(Recorded::name).collect(Collectors.toSet())
                        .containsAll(Set.of("coalition-totals view update", "coalition-totals push")));
        for (String taken : List.of("coalition-totals view update", "coalition-totals push")) {
            Recorded span = totals.stream().filter(each -> each.name().equals(taken)
                    && "coalition".equals(each.attributes().get(SCOPE))).findFirst().orElseThrow();
            assertThat(span.service()).isEqualTo("reporting-service");
            assertThat(spanWithId(totals, span.parentSpanId()).name()).as(taken + " takes what the batch published")
                    .isEqualTo("coalition-totals publish");
            assertThat(ancestors(span, totals)).as(taken + " continues the batch").contains(batch.spanId());
        }
    }

    /**
     * The services log JSON lines (as in the pods). A record that can never be applied is one line in each consumer's
     * log, with its reason, and with its event id, cluster id and the id of its trace (its traceparent) as fields: no
     * stack trace, no line per retry.
     */
    @Test
    @Order(4)
    void aDeadLetteredRecordIsOneJsonLogLineNamingItsEventClusterAndTrace() throws Exception {
        String clusterId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", clusterId, """
                {"clusterId": "%s", "version": 1, "name": "Negative Jobs Cluster", "country": "NL",
                 "joinedOn": "2025-01-22", "sectors": ["GAS"], "emissionsReductionMtPerYear": 3.000,
                 "jobs": -300, "gdpUsdBn": 0.500}""".formatted(clusterId));
        record.headers().add("ce_id", eventId.getBytes(StandardCharsets.UTF_8))
                .add("ce_type", "org.coalitiontracker.ClusterJoined.v1".getBytes(StandardCharsets.UTF_8))
                .add("ce_subject", clusterId.getBytes(StandardCharsets.UTF_8))
                .add("traceparent", ("00-" + traceId + "-" + traceId.substring(16) + "-01")
                        .getBytes(StandardCharsets.UTF_8));
        publishBehindMembershipsBack(record);

        for (ServiceProcess consumer : List.of(system.metrics, system.reporting)) {
            List<String> lines = await().atMost(Duration.ofSeconds(30)).until(
                    () -> Files.readAllLines(consumer.log()).stream().filter(line -> line.contains(eventId)).toList(),
                    found -> !found.isEmpty());
            // Whatever else it would log about the record has had time to come.
            TimeUnit.SECONDS.sleep(2);
            lines = Files.readAllLines(consumer.log()).stream().filter(line -> line.contains(eventId)).toList();
            assertThat(lines).as(consumer.log() + ": the lines about the record").hasSize(1);
            JsonPath line = JsonPath.from(lines.get(0));
            assertThat(line.getString("level")).isEqualTo("WARN");
            assertThat(line.getString("message")).startsWith("Dead-lettering cluster-events-")
                    .endsWith("jobs must be between 0 and 10000000");
            assertThat(line.getMap("mdc")).containsEntry("eventId", eventId).containsEntry("clusterId", clusterId)
                    .containsEntry("traceId", traceId);
            assertThat(line.getString("exception")).as("a stack trace").isNull();
        }
    }

    @Test
    @Order(5)
    void aRevisionAndAWithdrawalMoveTheTotalsBackExactly() {
        JsonPath before = coalition();
        String location = system.join("""
                {"name": "Oxelösund Steel Cluster", "country": "SE", "joinedOn": "2025-06-30",
                 "sectors": ["STEEL"], "emissionsReductionMtPerYear": 5.000, "jobs": 2000, "gdpUsdBn": 1.000}""");
        awaitClusters(before.getLong("clusters") + 1);

        given().auth().oauth2(system.publisherToken()).contentType(ContentType.JSON)
                .body("{\"emissionsReductionMtPerYear\": 7.250, \"jobs\": 2500, \"gdpUsdBn\": 1.125}")
                .when().patch(location + "/figures")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> coalition().getLong("jobs") == before.getLong("jobs") + 2500);
        JsonPath revised = coalition();
        assertThat(revised.getObject("emissionsReductionMtPerYear", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("emissionsReductionMtPerYear", BigDecimal.class).add(new BigDecimal("7.250")));
        assertThat(revised.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(
                before.getObject("gdpUsdBn", BigDecimal.class).add(new BigDecimal("1.125")));

        given().auth().oauth2(system.publisherToken()).contentType(ContentType.JSON).body("{\"withdrawnOn\": \"2025-07-31\"}")
                .when().post(location + "/withdrawal")
                .then().statusCode(200);
        awaitClusters(before.getLong("clusters"));
        JsonPath after = coalition();
        assertThat(after.getLong("jobs")).isEqualTo(before.getLong("jobs"));
        assertThat(after.getLong("countries")).isEqualTo(before.getLong("countries"));
        assertThat(after.getObject("emissionsReductionMtPerYear", BigDecimal.class))
                .isEqualByComparingTo(before.getObject("emissionsReductionMtPerYear", BigDecimal.class));
        assertThat(after.getObject("gdpUsdBn", BigDecimal.class))
                .isEqualByComparingTo(before.getObject("gdpUsdBn", BigDecimal.class));
    }

    @Test
    @Order(6)
    void reconciliationReportsTotalsThatTheRosterDoesNotExplain() throws Exception {
        // A join that membership-service never made, as if another producer wrote to the topic.
        String stray = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", stray, """
                {"clusterId": "%s", "version": 1, "name": "Stray Cluster", "country": "NL",
                 "joinedOn": "2025-01-22", "sectors": ["GAS"], "emissionsReductionMtPerYear": 3.000,
                 "jobs": 300, "gdpUsdBn": 0.500}""".formatted(stray));
        record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .add("ce_type", "org.coalitiontracker.ClusterJoined.v1".getBytes(StandardCharsets.UTF_8));
        publishBehindMembershipsBack(record);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(system.metrics.baseUri())
                .when().get("/reconciliation")
                .then().statusCode(200)
                .body("status", equalTo("DIFFERENT"))
                .body("differences.figure", hasItems("clusters", "jobs", "emissionsReductionMtPerYear", "gdpUsdBn")));
        JsonPath reconciliation = given().baseUri(system.metrics.baseUri()).when().get("/reconciliation")
                .then().extract().jsonPath();
        assertThat(reconciliation.getLong("totals.jobs") - reconciliation.getLong("roster.jobs")).isEqualTo(300);
        assertThat(reconciliation.getLong("totals.clusters") - reconciliation.getLong("roster.clusters")).isEqualTo(1);
    }

    @Test
    @Order(7)
    void droppingTheViewDatabaseAndRestartingRebuildsTheSameViewsFromKafka() throws InterruptedException {
        // The last test's stray join reached the totals (metrics-service) first: the views compared must hold it in
        // the directory, and so in its timeline (/coalition/history), too.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(system.reporting.baseUri()).when().get("/clusters?size=1").then()
                        .statusCode(200).extract().jsonPath().getLong("total") == coalition().getLong("clusters"));
        Map<String, String> before = views();
        system.restartReportingOnAnEmptyDatabase();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, String> after = views();
            // The views that differ come first: a whole map of views is too long for a CI log to keep.
            assertThat(after).as(() -> "views that differ: " + before.keySet().stream()
                    .filter(view -> !before.get(view).equals(after.get(view))).toList()).isEqualTo(before);
        });
    }

    @Test
    @Order(8)
    void everyReportingReplicaStreamsEveryChange() throws Exception {
        try (ServiceProcess second = system.startAnotherReporting("reporting-second")) {
            long before = coalition().getLong("clusters");
            List<BlockingQueue<String>> streams = List.of(stream(system.reporting), stream(second));
            for (BlockingQueue<String> lines : streams) {
                assertThat(nextCoalitionData(lines, "\"clusters\":" + before)).as("the snapshot").isNotNull();
            }

            system.join("""
                    {"name": "Gladstone Hydrogen Cluster", "country": "AU", "joinedOn": "2025-06-30",
                     "sectors": ["HYDROGEN"], "emissionsReductionMtPerYear": 2.000, "jobs": 2000,
                     "gdpUsdBn": 0.500}""");

            for (BlockingQueue<String> lines : streams) {
                assertThat(nextCoalitionData(lines, "\"clusters\":" + (before + 1))).as("the join, on each replica")
                        .isNotNull();
            }
        }
    }

    /**
     * The Grafana dashboard and the alerts that deploy/kubernetes installs watch what the services really expose:
     * every metric their queries name (as {@code name{labels}}) is served at /q/metrics by one of them, once the
     * system has been at work; but CloudNativePG's.
     */
    @Test
    @Order(9)
    void everyMetricOfTheGrafanaDashboardAndTheAlertsIsExposed() throws IOException {
        Path deploy = Path.of(System.getProperty("coalition.root"), "deploy/kubernetes/base");
        Set<String> metrics = new TreeSet<>();
        Matcher query = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(Files.readString(deploy.resolve("grafana/coalition-tracker.json")));
        while (query.find()) {
            metrics.addAll(metricsIn(query.group(1)));
        }
        Set<String> alerted = metricsIn(Files.readString(deploy.resolve("alerts/prometheusrule.yaml")));
        metrics.addAll(alerted);
        // CloudNativePG's own metrics (its PgBouncers'), which only its pods in a cluster serve.
        metrics.removeIf(metric -> metric.startsWith("cnpg_"));
        assertThat(metrics).contains("cluster_events_applied_total", "outbox_pending",
                "http_server_requests_seconds_count");
        assertThat(alerted).contains("cluster_events_oldest_unapplied_age_seconds", "coalition_totals_stale",
                "coalition_reconciliation_different_for_seconds");
        // Kafka's client metrics reach Micrometer on its next refresh, up to a minute after the consumer starts.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String exposed = Stream.of(system.membership, system.metrics, system.reporting)
                    .map(service -> given().baseUri(service.managementUri()).when().get("/q/metrics").then()
                            .statusCode(200).extract().asString())
                    .collect(Collectors.joining("\n"));
            assertThat(metrics).allSatisfy(metric -> assertThat(exposed).as("/q/metrics")
                    .containsPattern("(?m)^" + metric + "[{ ]"));
        });
        // Every change metrics-service applied happened while it ran, so each is in its delay histogram, the first
        // batch's too; but the stray record of reconciliationReportsTotalsThatTheRosterDoesNotExplain, which has no
        // ce_time to measure from.
        String scraped = given().baseUri(system.metrics.managementUri()).when().get("/q/metrics").then()
                .statusCode(200).extract().asString();
        assertThat(sample(scraped, "cluster_events_applied_delay_seconds_count"))
                .isEqualTo(sample(scraped, "cluster_events_applied_total") - 1);
        // Health, metrics and the API's documents are on the management port only: the public one does not have them.
        for (ServiceProcess service : List.of(system.membership, system.metrics, system.reporting)) {
            for (String path : List.of("/q/metrics", "/q/health/live", "/q/openapi", "/q/swagger-ui/")) {
                given().baseUri(service.baseUri()).when().get(path).then().statusCode(404);
                given().baseUri(service.managementUri()).when().get(path).then().statusCode(200);
            }
        }
    }

    /** The value of a metric without labels in a scrape, before any exemplar. */
    private static double sample(String scraped, String name) {
        return scraped.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0]))
                .orElseThrow(() -> new AssertionError(name + " is not exposed"));
    }

    /** The metrics a PromQL text names with labels: {@code name{...}}. */
    private static Set<String> metricsIn(String promql) {
        Set<String> metrics = new TreeSet<>();
        Matcher metric = Pattern.compile("([a-z_][a-z0-9_]*)\\{").matcher(promql);
        while (metric.find()) {
            metrics.add(metric.group(1));
        }
        return metrics;
    }

    private static BlockingQueue<String> stream(ServiceProcess reporting) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(reporting.baseUri()
                + "/coalition/stream")).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().forEach(lines::add));
        return lines;
    }

    /** The next data line of the coalition scope that contains the text, within 30 s; null if none came. */
    private static String nextCoalitionData(BlockingQueue<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith("data") && line.contains("\"scope\":\"coalition\"")
                    && line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    /**
     * What reporting-service shows, the directory in a fixed order (ties of a joining day may come in any order), and
     * the totals without their freshness (a report of the moment, not a view).
     */
    private static Map<String, String> views() {
        Map<String, String> views = new TreeMap<>();
        // The breakdowns as of a date read the timeline, which a replay computes once it has read every partition.
        for (String path : List.of("/coalition", "/coalition/history", "/coalition/countries", "/coalition/sectors",
                "/coalition/regions", "/coalition/cohorts", "/coalition/countries?asOf=" + LocalDate.now(),
                "/coalition/sectors?asOf=2025-01-31", "/coalition/regions?asOf=2024-06-30")) {
            JsonPath view = given().baseUri(system.reporting.baseUri()).when().get(path).then().statusCode(200)
                    .extract().jsonPath();
            if (path.equals("/coalition")) {
                Map<String, Object> totals = new TreeMap<>(view.getMap(""));
                totals.remove("freshness");
                views.put(path, totals.toString());
            } else {
                views.put(path, view.prettify());
            }
        }
        List<Map<String, Object>> clusters = new ArrayList<>(given().baseUri(system.reporting.baseUri())
                .when().get("/clusters?withdrawn=true&size=100").then().statusCode(200).extract().jsonPath()
                .getList("clusters"));
        clusters.sort(Comparator.comparing(cluster -> (String) cluster.get("clusterId")));
        views.put("/clusters", clusters.toString());
        return views;
    }

    private static void awaitClusters(long clusters) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> coalition().getLong("clusters") == clusters);
    }

    private static JsonPath coalition() {
        return coalition("");
    }

    /** Writes a record to the topic directly, as another producer would: membership-service never made it. */
    private static void publishBehindMembershipsBack(ProducerRecord<String, String> record) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(record).get();
        }
    }

    /** The first span received that matches, once one has been. */
    private static Recorded awaitSpan(Predicate<Recorded> wanted) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> system.traces.spans().stream().filter(wanted).findFirst(), Optional::isPresent).orElseThrow();
    }

    private static List<Recorded> inTrace(String traceId) {
        return system.traces.spans().stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private static Recorded named(List<Recorded> trace, String name) {
        return trace.stream().filter(span -> span.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + trace));
    }

    private static Recorded spanWithId(List<Recorded> trace, String spanId) {
        return Optional.ofNullable(find(trace, spanId))
                .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + trace));
    }

    /** The ids of a span's parent, its parent's parent, and so on, as far as the trace holds them. */
    private static List<String> ancestors(Recorded span, List<Recorded> trace) {
        List<String> ancestors = new ArrayList<>();
        for (Recorded parent = find(trace, span.parentSpanId()); parent != null; parent = find(trace,
                parent.parentSpanId())) {
            ancestors.add(parent.spanId());
        }
        return ancestors;
    }

    private static Recorded find(List<Recorded> trace, String spanId) {
        return trace.stream().filter(span -> span.spanId().equals(spanId)).findFirst().orElse(null);
    }

    private static JsonPath coalition(String query) {
        return system.coalition(query);
    }
}
