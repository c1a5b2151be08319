package org.coalitiontracker.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;

/**
 * How many joins per second membership-service accepts, and how fast, at rising concurrency, next to what the same
 * PostgreSQL does for a plain single-row insert at the same concurrency. A join is an HTTP request with a JWT, bean
 * validation, a duplicate check, the cluster row and its outbox row in one transaction, while the relay publishes to
 * Kafka; the plain insert is one autocommitted JDBC INSERT of a row of the same shape.
 * <p>
 * It starts its own broker, database and service (nothing of the development stack is touched), warms the service up
 * and prints a table. Beside each level it measures the cheapest request the service answers (GET /q/health/live, on
 * its management port) and
 * prints the best ratio any join could reach that needs one such request and one plain insert. Run it with
 * {@code benchmarks/join-throughput.sh}. Target: joins/s at least half the plain insert rate.
 */
public final class JoinThroughput {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JoinThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int[] levels = Arrays.stream(System.getProperty("levels", "1,4,16,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Duration perLevel = Duration.ofSeconds(Long.getLong("seconds", 10));

        DevelopmentTokens tokens = DevelopmentTokens.newKeyPair();
        PostgresDatabase plain = PostgresDatabase.named("benchmark_plain_insert").recreate();
        createPlainTable(plain);
        try (KafkaBroker broker = KafkaBroker.inFreshDirectory().start();
                ServiceProcess membership = ServiceProcess.start("membership-service", "MEMBERSHIP_HTTP_PORT", Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "MEMBERSHIP_DB", PostgresDatabase.named("benchmark_membership").recreate().name(),
                        "MP_JWT_VERIFY_PUBLICKEY", tokens.publicKeyPem(),
                        "MEMBERSHIP_JWT_ISSUER", DevelopmentTokens.ISSUER)).awaitReady()) {
            URI clusters = URI.create(membership.baseUri() + "/clusters");
            URI live = URI.create(membership.managementUri() + "/q/health/live");
            String token = tokens.token("benchmark", "publisher");
            Callable<Load.Worker> joiner = () -> () -> join(clusters, token);
            Callable<Load.Worker> emptyRequest = () -> () -> get(live);
            Callable<Load.Worker> inserter = () -> plainInserter(plain);

            warmUp(joiner);
            Load.measure(4, Duration.ofSeconds(5), emptyRequest);
            Load.measure(4, Duration.ofSeconds(5), inserter);

            System.out.printf("%nEach level runs %d s; latencies in ms. 'empty' is GET /q/health/live, the cheapest request"
                    + " the service answers: no HTTP endpoint of it can go faster.%n", perLevel.toSeconds());
            System.out.println("'bound' is the ratio a join would reach if it cost no more than one empty request plus one"
                    + " plain insert: empty/(empty + inserts).");
            System.out.println("concurrency |  joins/s    p50     p99 | inserts/s    p50     p99 | empty/s | joins/inserts"
                    + "  bound");
            for (int concurrency : levels) {
                Load.Result joins = Load.measure(concurrency, perLevel, joiner);
                Load.Result empty = Load.measure(concurrency, perLevel, emptyRequest);
                Load.Result inserts = Load.measure(concurrency, perLevel, inserter);
                System.out.printf("%11d | %8.0f %6.1f %7.1f | %9.0f %6.1f %7.1f | %7.0f | %13.2f  %5.2f%s%n",
                        concurrency, joins.perSecond(), joins.p50(), joins.p99(), inserts.perSecond(), inserts.p50(),
                        inserts.p99(), empty.perSecond(), joins.perSecond() / inserts.perSecond(),
                        empty.perSecond() / (empty.perSecond() + inserts.perSecond()),
                        joins.refused() > 0 ? "  (" + joins.refused() + " joins not accepted)" : "");
            }
            System.out.println("Target: joins/inserts >= 0.50 at every level.");
        }
    }

    /**
     * Joins until the JIT has compiled the service's join path. A fresh JVM spends tens of milliseconds of CPU on a
     * join, and on 2 cores it takes minutes of steady joins to come down to about 2 ms: measured earlier, the figures
     * timed the compiler, not the service. Runs 10-second windows at concurrency 16, at least two minutes and then until
     * the rate has risen by less than 5% twice in a row (at most 4 minutes), printing each.
     */
    private static void warmUp(Callable<Load.Worker> joiner) throws Exception {
        System.out.print("Warming up the service (joins/s per 10 s window):");
        double best = 0;
        int flat = 0;
        for (int window = 0; window < 24 && (window < 12 || flat < 2); window++) {
            double rate = Load.measure(16, Duration.ofSeconds(10), joiner).perSecond();
            System.out.printf(" %.0f", rate);
            flat = rate < best * 1.05 ? flat + 1 : 0;
            best = Math.max(best, rate);
        }
        System.out.println();
    }

    private static boolean get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** POST /clusters with a new name each time, so that every join is a new member. */
    private static boolean join(URI clusters, String token) throws Exception {
        String body = """
                {"name": "Benchmark Cluster %s", "country": "NL", "joinedOn": "2025-01-22",
                 "sectors": ["HYDROGEN", "PORT_LOGISTICS"], "portAnchored": true,
                 "emissionsReductionMtPerYear": 15.846, "jobs": 69231, "gdpUsdBn": 10.000}"""
                .formatted(UUID.randomUUID());
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(clusters)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 201;
    }

    private static void createPlainTable(PostgresDatabase database) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE plain_cluster (id uuid PRIMARY KEY, name varchar(200) NOT NULL,
                        country char(2) NOT NULL, joined_on date NOT NULL, sectors varchar(32)[] NOT NULL,
                        port_anchored boolean, emissions_reduction_mt_per_year numeric(12, 3) NOT NULL,
                        jobs bigint NOT NULL, gdp_usd_bn numeric(12, 3) NOT NULL, version integer NOT NULL,
                        recorded_at timestamptz NOT NULL)""");
        }
    }

    /** One connection per thread, one autocommitted INSERT per unit of work. */
    private static Load.Worker plainInserter(PostgresDatabase database) throws SQLException {
        Connection connection = connect(database);
        PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO plain_cluster VALUES (?, ?, 'NL', DATE '2025-01-22', '{HYDROGEN,PORT_LOGISTICS}', true,
                    15.846, 69231, 10.000, 1, now())""");
        return new Load.Worker() {
            @Override
            public boolean run() throws SQLException {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setString(2, "Benchmark Cluster " + id);
                return insert.executeUpdate() == 1;
            }

            @Override
            public void close() throws SQLException {
                connection.close();
            }
        };
    }

    private static Connection connect(PostgresDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }
}
