package org.coalitiontracker.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;

/**
 * How many joins per second membership-service accepts, and how fast, at rising concurrency, next to its fair peer:
 * {@code benchmarks/join-peer}, the plainest Quarkus join a user would write (the Quarkus team's rest-heroes pattern:
 * the same body and token, the same bounds, one Panache entity persisted in {@code @WithTransaction}, no duplicate
 * check, no idempotency, no outbox). A join of membership-service is that plus the duplicate check, the outbox row in
 * the same transaction and the relay publishing it to Kafka.
 * <p>
 * It starts its own broker, databases and both services from their packaged jars with the same JVM options (nothing of
 * the development stack is touched), warms each up the same way, then at each level measures them in alternating
 * rounds and prints the median of each. Beside them: the cheapest request the service answers (GET /q/health/live,
 * on its management port) and a plain autocommitted JDBC INSERT of a row of the same shape, the limits of any
 * endpoint and any write. Run it with {@code benchmarks/join-throughput.sh}. Target: joins/s at least 0.8x the peer's
 * at concurrency 1 and 16, with a p99 at most 1.5x the peer's.
 */
public final class JoinThroughput {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JoinThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int[] levels = Arrays.stream(System.getProperty("levels", "1,4,16,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Duration perRound = Duration.ofSeconds(Long.getLong("seconds", 10));
        int rounds = Integer.getInteger("rounds", 3);
        boolean profile = Boolean.getBoolean("profile");

        DevelopmentTokens tokens = DevelopmentTokens.newKeyPair();
        PostgresDatabase plain = PostgresDatabase.named("benchmark_plain_insert").recreate();
        createPlainTable(plain);
        Map<String, String> environment = Map.of(
                "MP_JWT_VERIFY_PUBLICKEY", tokens.publicKeyPem(),
                "MEMBERSHIP_JWT_ISSUER", DevelopmentTokens.ISSUER);
        Path recordings = Path.of("target", "recordings").toAbsolutePath();
        Map<String, String> membershipProfile = profile ? HotMethods.recordFromStart(recordings, "membership-service")
                : Map.of();
        Map<String, String> peerProfile = profile ? HotMethods.recordFromStart(recordings, "join-peer") : Map.of();
        try (KafkaBroker broker = KafkaBroker.inFreshDirectory().start();
                ServiceProcess membership = ServiceProcess.start("membership-service", "MEMBERSHIP_HTTP_PORT",
                        with(environment, membershipProfile, "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                                "MEMBERSHIP_DB",
                                PostgresDatabase.named("benchmark_membership").recreate().name()))
                        .awaitReady();
                ServiceProcess peer = ServiceProcess.start("benchmarks/join-peer", "join-peer", "JOIN_PEER_HTTP_PORT",
                        with(environment, peerProfile, "JOIN_PEER_DB",
                                PostgresDatabase.named("benchmark_join_peer").recreate().name()))
                        .awaitReady()) {
            String token = tokens.token("benchmark", "publisher");
            Callable<Load.Worker> joiner = joiner(membership, token);
            Callable<Load.Worker> peerJoiner = joiner(peer, token);
            URI live = URI.create(membership.managementUri() + "/q/health/live");
            Callable<Load.Worker> emptyRequest = () -> () -> get(live);
            Callable<Load.Worker> inserter = () -> plainInserter(plain);

            // At least two minutes: a fresh JVM's join costs tens of milliseconds of CPU, about 2 ms only minutes later.
            Load.warmUp("membership-service's joins", 16, 12, joiner);
            Load.warmUp("its peer's joins", 16, 12, peerJoiner);

            System.out.printf("%nAt each level membership-service and its peer take turns, %d rounds of %d s each; the"
                    + " median round is shown. Latencies in ms.%n", rounds, perRound.toSeconds());
            System.out.println("'empty' is GET /q/health/live, the cheapest request the service answers; 'inserts' a"
                    + " plain autocommitted INSERT over JDBC.");
            System.out.println("concurrency |  joins/s    p50     p99 |   peer/s    p50     p99 | joins/peer  p99/peer"
                    + " | empty/s inserts/s");
            Map<Integer, Round[]> medians = new LinkedHashMap<>();
            Map<Integer, Long> refused = new LinkedHashMap<>();
            for (int concurrency : levels) {
                List<Round> joins = new ArrayList<>();
                List<Round> peerJoins = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    joins.add(Round.measure(concurrency, perRound, joiner, membership.pid(), broker.pid()));
                    peerJoins.add(Round.measure(concurrency, perRound, peerJoiner, peer.pid(), broker.pid()));
                }
                medians.put(concurrency, new Round[] { Round.median(joins), Round.median(peerJoins) });
                refused.put(concurrency, joins.stream().mapToLong(r -> r.result().refused()).sum()
                        + peerJoins.stream().mapToLong(r -> r.result().refused()).sum());
            }
            // The limits after every join round, warmed up first: a flood of health checks on its management port,
            // which its joins never see, deoptimized membership-service's compiled HTTP code, and its next join round
            // ran recompiling it.
            Load.measure(4, Duration.ofSeconds(5), emptyRequest);
            Load.measure(4, Duration.ofSeconds(5), inserter);
            for (int concurrency : levels) {
                Load.Result empty = Load.measure(concurrency, perRound, emptyRequest);
                Load.Result inserts = Load.measure(concurrency, perRound, inserter);
                Round join = medians.get(concurrency)[0];
                Round peerJoin = medians.get(concurrency)[1];
                System.out.printf("%11d | %8.0f %6.1f %7.1f | %8.0f %6.1f %7.1f | %10.2f %9.2f | %7.0f %9.0f%s%n",
                        concurrency, join.result().perSecond(), join.result().p50(), join.result().p99(),
                        peerJoin.result().perSecond(), peerJoin.result().p50(), peerJoin.result().p99(),
                        join.result().perSecond() / peerJoin.result().perSecond(),
                        join.result().p99() / peerJoin.result().p99(), empty.perSecond(), inserts.perSecond(),
                        refused.get(concurrency) > 0 ? "  (" + refused.get(concurrency) + " joins not accepted)" : "");
            }
            System.out.printf("%nCPU per join in the median round, ms, by process (the machine has %d cores):%n",
                    Runtime.getRuntime().availableProcessors());
            System.out.println("concurrency | membership-service PostgreSQL  Kafka  total | peer PostgreSQL  total");
            medians.forEach((concurrency, pair) -> {
                Map<String, Double> join = pair[0].cpuPerJoin();
                Map<String, Double> peerJoin = pair[1].cpuPerJoin();
                System.out.printf("%11d | %18.2f %10.2f %6.2f %6.2f | %4.2f %10.2f %6.2f%n", concurrency,
                        join.get(CpuTime.SERVICE), join.get(CpuTime.POSTGRES), join.get(CpuTime.KAFKA),
                        total(join), peerJoin.get(CpuTime.SERVICE), peerJoin.get(CpuTime.POSTGRES), total(peerJoin));
            });
            System.out.println("Target: joins/peer >= 0.80 and p99/peer <= 1.50 at concurrency 1 and 16.");
        }
        if (profile) {
            for (String service : List.of("membership-service", "join-peer")) {
                HotMethods.print(service, recordings.resolve(service + ".jfr"), 25);
            }
        }
    }

    /** One round of joins and the CPU each process spent on a join in it. */
    private record Round(Load.Result result, Map<String, Double> cpuPerJoin) {

        static Round measure(int concurrency, Duration duration, Callable<Load.Worker> joiner, long servicePid,
                long brokerPid) throws Exception {
            CpuTime before = CpuTime.now(servicePid, brokerPid);
            Load.Result result = Load.measure(concurrency, duration, joiner);
            return new Round(result, CpuTime.now(servicePid, brokerPid).perUnitSince(before, result.accepted()));
        }

        /** The round of median throughput, with its own latencies and CPU. */
        static Round median(List<Round> rounds) {
            List<Round> sorted = new ArrayList<>(rounds);
            sorted.sort(Comparator.comparingDouble(round -> round.result().perSecond()));
            return sorted.get(sorted.size() / 2);
        }
    }

    private static double total(Map<String, Double> cpuPerJoin) {
        return cpuPerJoin.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static Map<String, String> with(Map<String, String> common, Map<String, String> extra, String... more) {
        Map<String, String> environment = new HashMap<>(common);
        environment.putAll(extra);
        for (int i = 0; i < more.length; i += 2) {
            environment.put(more[i], more[i + 1]);
        }
        return environment;
    }

    static Callable<Load.Worker> joiner(ServiceProcess service, String token) {
        URI clusters = URI.create(service.baseUri() + "/clusters");
        return () -> () -> join(clusters, token);
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
