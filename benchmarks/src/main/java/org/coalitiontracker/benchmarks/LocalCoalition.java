package org.coalitiontracker.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;

/**
 * The whole system on this machine, for a benchmark: a broker and databases of its own, the three services from their
 * packaged jars, and the published roster loaded and shown by {@code GET /coalition}. The development stack is not
 * touched.
 */
final class LocalCoalition implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern SHOWN_CLUSTERS = Pattern.compile("\"clusters\":(\\d+)");

    final KafkaBroker broker;
    /** Each service's process; a {@link #restart} replaces it. */
    ServiceProcess membership;
    ServiceProcess metrics;
    ServiceProcess reporting;
    /** A publisher's bearer token for membership-service. */
    final String token;
    /** The clusters in the coalition once the roster is loaded. */
    final long clusters;

    private final Map<String, String> settings;

    private LocalCoalition(KafkaBroker broker, List<ServiceProcess> services, String token,
            Map<String, String> settings) throws Exception {
        this.broker = broker;
        this.settings = settings;
        this.membership = services.get(0);
        this.metrics = services.get(1);
        this.reporting = services.get(2);
        this.token = token;
        Path roster = Path.of(System.getProperty("coalition.root"), "deploy/local/coalition-roster.csv");
        send(HttpRequest.newBuilder(URI.create(membership.baseUri() + "/clusters/import"))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofFile(roster)).build(), 200);
        this.clusters = awaitClusters(33);
    }

    /** Starts it all; {@code environment} adds to what each service is given. */
    static LocalCoalition start(Map<String, String> environment) throws Exception {
        DevelopmentTokens tokens = DevelopmentTokens.newKeyPair();
        KafkaBroker broker = KafkaBroker.inFreshDirectory().start();
        Map<String, String> settings = new HashMap<>(environment);
        settings.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        settings.put("MP_JWT_VERIFY_PUBLICKEY", tokens.publicKeyPem());
        settings.put("MEMBERSHIP_JWT_ISSUER", DevelopmentTokens.ISSUER);
        settings.put("QUARKUS_LOG_LEVEL", "WARN");
        // Kafka's clients say at INFO when a request to the broker timed out, and when a consumer group rebalances.
        settings.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA_CLIENTS__LEVEL", "INFO");
        List<ServiceProcess> services = new java.util.ArrayList<>();
        try {
            for (String service : List.of("membership", "metrics", "reporting")) {
                settings.put(service.toUpperCase() + "_DB",
                        PostgresDatabase.named("benchmark_" + service).recreate().name());
            }
            for (String service : List.of("membership", "metrics", "reporting")) {
                services.add(ServiceProcess.start(service + "-service", service.toUpperCase() + "_HTTP_PORT", settings)
                        .awaitReady());
                if (service.equals("membership")) {
                    // metrics-service reconciles its totals with this roster.
                    settings.put("MEMBERSHIP_URL", services.get(0).baseUri());
                }
            }
            return new LocalCoalition(broker, services, tokens.token("benchmark", "publisher"), settings);
        } catch (Exception failed) {
            for (ServiceProcess started : services) {
                started.close();
            }
            broker.close();
            throw failed;
        }
    }

    /**
     * Stops a service ({@code metrics}, say), runs {@code sql} on its database while it is down, and starts it again
     * as it was started first; answers when it is ready, with the seconds until it was down and its database changed.
     */
    double restart(String service, String sql) throws Exception {
        return restart(service, sql, Map.of());
    }

    /** As {@link #restart(String, String)}, {@code environment} adding to what the service was given. */
    double restart(String service, String sql, Map<String, String> environment) throws Exception {
        long start = System.nanoTime();
        ServiceProcess stopped = switch (service) {
            case "membership" -> membership;
            case "metrics" -> metrics;
            case "reporting" -> reporting;
            default -> throw new IllegalArgumentException("No service " + service);
        };
        stopped.close();
        sql(service, sql);
        double down = (System.nanoTime() - start) / 1e9;
        Map<String, String> restarted = new HashMap<>(settings);
        restarted.putAll(environment);
        ServiceProcess started = ServiceProcess.start(service + "-service", service.toUpperCase() + "_HTTP_PORT",
                restarted).awaitReady();
        switch (service) {
            case "membership" -> membership = started;
            case "metrics" -> metrics = started;
            default -> reporting = started;
        }
        return down;
    }

    /** Runs a statement on a service's database. */
    static void sql(String service, String sql) throws SQLException {
        PostgresDatabase database = PostgresDatabase.named("benchmark_" + service);
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The number a query on a service's database answers, in its first column. */
    static long number(String service, String query) throws SQLException {
        PostgresDatabase database = PostgresDatabase.named("benchmark_" + service);
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Where a join that has not reached every stream client is on its way: the events membership-service has not
     * sent yet, and the cluster counts of metrics-service's totals and reporting-service's. Each service's threads
     * are written to {@code dumps}, so that a stall can be read afterwards.
     */
    String whereIs(long clusters, Path dumps) throws Exception {
        Files.createDirectories(dumps);
        for (ServiceProcess service : services()) {
            new ProcessBuilder("jcmd", Long.toString(service.pid()), "Thread.print")
                    .redirectOutput(dumps.resolve(service.name() + "-" + clusters + ".txt").toFile())
                    .redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        }
        return "outbox pending %d, metrics-service %d clusters, reporting-service %d; threads in %s".formatted(
                number("membership", "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL"),
                shownClusters(metrics.baseUri() + "/totals"), shownClusters(reporting.baseUri() + "/coalition"),
                dumps);
    }

    /** The services, in the order they started. */
    List<ServiceProcess> services() {
        return List.of(membership, metrics, reporting);
    }

    @Override
    public void close() throws Exception {
        reporting.close();
        metrics.close();
        membership.close();
        broker.close();
    }

    static void send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    private long awaitClusters(long wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            long shown = shownClusters(reporting.baseUri() + "/coalition");
            if (shown >= wanted) {
                return shown;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the roster did not reach GET /coalition");
    }

    /** The coalition's cluster count in the totals a service answers with, or -1 if it shows none. */
    private static long shownClusters(String uri) throws Exception {
        Matcher matcher = SHOWN_CLUSTERS.matcher(HTTP.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }
}
