package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * The whole system as a user meets it: a real broker and the three services as packaged processes, each on fresh
 * databases named {@code <prefix>_membership} and so on.
 */
final class CoalitionSystem implements AutoCloseable {

    static final Path SHARED_DATA = Path.of(System.getProperty("coalition.root"), "..", "shared", "data");

    private final DevelopmentTokens tokens = DevelopmentTokens.newKeyPair();
    final KafkaBroker broker;
    final ServiceProcess membership;
    ServiceProcess metrics;
    ServiceProcess reporting;
    final String prefix;
    /** Where the services send their traces, when the system was started traced. */
    final TraceCollector traces;
    private final Map<String, String> environment = new HashMap<>();

    private CoalitionSystem(String prefix, TraceCollector traces) throws InterruptedException {
        this.prefix = prefix;
        this.traces = traces;
        if (traces != null) {
            environment.put("OTEL_SDK_DISABLED", "false");
            environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
            environment.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
            // Spans leave every 100 ms rather than every 5 s, so that a test need not wait for them.
            environment.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        }
        broker = KafkaBroker.inFreshDirectory().start();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("MP_JWT_VERIFY_PUBLICKEY", tokens.publicKeyPem());
        environment.put("MEMBERSHIP_JWT_ISSUER", DevelopmentTokens.ISSUER);
        // Stalls show within seconds, and reconciliation runs often, so that tests need not wait a minute.
        environment.put("METRICS_STALL_THRESHOLD", "5s");
        environment.put("METRICS_RECONCILIATION_INTERVAL", "2s");
        environment.put("REPORTING_STALE_THRESHOLD", "5s");
        environment.put("REPORTING_FRESHNESS_INTERVAL", "1s");
        environment.put("MEMBERSHIP_DB", PostgresDatabase.named(prefix + "_membership").recreate().name());
        environment.put("METRICS_DB", PostgresDatabase.named(prefix + "_metrics").recreate().name());
        environment.put("REPORTING_DB", PostgresDatabase.named(prefix + "_reporting").recreate().name());

        membership = ServiceProcess.start("membership-service", prefix + "-membership", "MEMBERSHIP_HTTP_PORT",
                environment);
        environment.put("MEMBERSHIP_URL", membership.baseUri());
        metrics = ServiceProcess.start("metrics-service", prefix + "-metrics", "METRICS_HTTP_PORT", environment);
        reporting = ServiceProcess.start("reporting-service", prefix + "-reporting", "REPORTING_HTTP_PORT",
                environment);
        membership.awaitReady();
        metrics.awaitReady();
        reporting.awaitReady();
    }

    static CoalitionSystem start(String prefix) throws InterruptedException {
        return new CoalitionSystem(prefix, null);
    }

    /** As {@link #start(String)}, with tracing on: the services export their spans to {@link #traces}. */
    static CoalitionSystem startTraced(String prefix) throws InterruptedException {
        return new CoalitionSystem(prefix, TraceCollector.start());
    }

    /**
     * Stops metrics-service and reporting-service as a rollout does (SIGTERM), one after the other, and starts them
     * again on their databases.
     */
    void restartConsumers() throws InterruptedException {
        metrics.close();
        reporting.close();
        metrics = startService("metrics-service", "metrics-again", "METRICS_HTTP_PORT");
        reporting = startService("reporting-service", "reporting-again", "REPORTING_HTTP_PORT");
    }

    /** Stops reporting-service, drops and recreates its database, and starts it again. */
    void restartReportingOnAnEmptyDatabase() throws InterruptedException {
        reporting.close();
        PostgresDatabase.named(prefix + "_reporting").recreate();
        reporting = startService("reporting-service", "reporting-again", "REPORTING_HTTP_PORT");
    }

    /** One more reporting-service replica on the same database, as a deployment scaled out would run. */
    ServiceProcess startAnotherReporting(String name) throws InterruptedException {
        return startService("reporting-service", name, "REPORTING_HTTP_PORT");
    }

    private ServiceProcess startService(String module, String name, String portVariable) throws InterruptedException {
        return ServiceProcess.start(module, prefix + "-" + name, portVariable, environment).awaitReady();
    }

    /** A bearer token with the role publisher, as a member service would hold. */
    String publisherToken() {
        return tokens.token("end-to-end-test", "publisher");
    }

    /** The shared roster (33 clusters, January 2025) as CSV: its header and its rows in joining order. */
    static List<String> roster() throws IOException {
        return Files.readAllLines(SHARED_DATA.resolve("coalition-roster.csv"));
    }

    /** The published totals: header, then one row per date. */
    static List<String> publishedAggregates() throws IOException {
        return Files.readAllLines(SHARED_DATA.resolve("published-aggregates.csv"));
    }

    /** Posts a join (JSON) to membership-service as a member service would; returns the new cluster's URL. */
    String join(String body) {
        return given().baseUri(membership.baseUri()).auth().oauth2(publisherToken()).contentType("application/json")
                .body(body)
                .when().post("/clusters")
                .then().statusCode(201).extract().header("Location");
    }

    /** Posts a roster CSV to membership-service's import. */
    void importRoster(List<String> lines) {
        given().baseUri(membership.baseUri()).auth().oauth2(publisherToken()).contentType("text/csv")
                .body(String.join("\n", lines) + "\n")
                .when().post("/clusters/import")
                .then().statusCode(200);
    }

    /** {@code GET /coalition} of reporting-service, with the query given, decimals exact. */
    JsonPath coalition(String query) {
        return given().baseUri(reporting.baseUri()).when().get("/coalition" + query)
                .then().statusCode(200).extract().jsonPath()
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess service : new ServiceProcess[] { membership, metrics, reporting }) {
            service.close();
        }
        broker.close();
        if (traces != null) {
            traces.close();
        }
    }
}
