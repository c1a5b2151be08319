package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.coalitiontracker.localinfra.ServiceProcess;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the system's costs grow with the roster: it grows a synthetic roster ({@link SyntheticRoster}, from a seed)
 * through {@code POST /clusters/import} to each size, then measures every read of reporting-service and each service's
 * resident memory there, and prints a table of the sizes with the growth factor from the first size to the last. Run
 * it with {@code benchmarks/roster-growth.sh}.
 */
public final class RosterGrowth {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS_PER_IMPORT = 5_000;
    private static final Pattern CLUSTERS = Pattern.compile("\"clusters\":(\\d+)");
    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
    /** reporting-service's indexes of the directory: its key, the withdrawn ones' and those a replay builds again. */
    private static final long DIRECTORY_INDEXES = 7;
    /** Rows imported with metrics-service and reporting-service paused, at most, at each size. */
    private static final long ROWS_WITH_CONSUMERS_PAUSED = 50_000;
    private static final String PUBLISHED = "on cluster-events";
    private static final String COUNTED = "in the totals";
    private static final String LISTED = "in the directory";

    /** When metrics-service and reporting-service were resumed to take in the last backlog. */
    private static Instant backlogResumed = Instant.MIN;

    /** Each line of the table: what was measured, by size. */
    private static final Map<String, Map<Integer, Double>> FIGURES = new LinkedHashMap<>();

    private RosterGrowth() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String size : System.getProperty("sizes", "10000,100000,1000000").split(",")) {
            sizes.add(Integer.parseInt(size.strip()));
        }
        int requests = Integer.getInteger("requests", 100);
        int dashboards = Integer.getInteger("dashboards", 16);
        boolean rebuild = Boolean.parseBoolean(System.getProperty("rebuild", "true"));
        int rebuilds = Integer.getInteger("rebuilds", 1);
        // Settings the services get in every second rebuild round (NAME=value,…), whose figures show apart: a peer
        // measured in the same run.
        String peer = System.getProperty("peer", "");
        Map<String, String> peerEnvironment = new LinkedHashMap<>();
        for (String setting : peer.split(",")) {
            if (!setting.isBlank()) {
                int is = setting.indexOf('=');
                if (is < 1) {
                    throw new IllegalArgumentException("PEER takes NAME=value,…, not " + setting);
                }
                peerEnvironment.put(setting.substring(0, is).strip(), setting.substring(is + 1).strip());
            }
        }
        boolean profile = Boolean.parseBoolean(System.getProperty("profile", "false"));
        // Native Memory Tracking costs a few MiB of its own: the resident sets are then a little high.
        boolean memory = Boolean.parseBoolean(System.getProperty("memory", "false"));
        Path recordings = Path.of("target", "recordings").toAbsolutePath();
        SyntheticRoster roster = new SyntheticRoster(Long.getLong("seed", 20261203));
        Random dates = new Random(1);
        String javaOptions = memory ? "-XX:NativeMemoryTracking=summary" : "";
        try (LocalCoalition coalition = LocalCoalition.start(profile ? HotMethods.recordUntilDumped(javaOptions)
                : javaOptions.isEmpty() ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", javaOptions))) {
            for (int size : sizes) {
                grow(coalition, roster, size, profile && size == sizes.get(sizes.size() - 1) ? recordings : null);
                String reporting = coalition.reporting.baseUri();
                long days = SyntheticRoster.LAST_DAY.toEpochDay() - SyntheticRoster.FIRST_DAY.toEpochDay();
                timed(size, "GET /coalition?asOf=D", requests, () -> reporting + "/coalition?asOf="
                        + SyntheticRoster.FIRST_DAY.plusDays(dates.nextLong(days + 1)));
                timed(size, "GET /coalition/history", Math.max(5, requests / 10), () -> reporting + "/coalition/history");
                timed(size, "GET /coalition/countries", requests, () -> reporting + "/coalition/countries");
                timed(size, "GET /coalition/countries?asOf=D", requests, () -> reporting + "/coalition/countries?asOf="
                        + SyntheticRoster.FIRST_DAY.plusDays(dates.nextLong(days + 1)));
                timed(size, "GET /coalition/sectors?asOf=D", requests, () -> reporting + "/coalition/sectors?asOf="
                        + SyntheticRoster.FIRST_DAY.plusDays(dates.nextLong(days + 1)));
                timed(size, "GET /coalition/export.csv", 3, () -> reporting + "/coalition/export.csv");
                // What the dashboard asks for when it opens (dashboard.js), one request after another.
                timedTogether(size, "the dashboard's opening requests", Math.max(5, requests / 10),
                        () -> List.of("/", "/coalition", "/coalition?asOf=2025-01-22", "/coalition/history",
                                "/coalition/countries", "/coalition/regions", "/coalition/sectors",
                                "/coalition/cohorts", "/clusters?size=10").stream().map(path -> reporting + path)
                                .toList());
                dashboards(coalition, roster, size, dashboards);
                timed(size, "GET /clusters (first page)", requests, () -> reporting + "/clusters");
                timed(size, "GET /clusters?q=place (1 in 20)", requests, () -> reporting + "/clusters?q="
                        + query(SyntheticRoster.PLACES.get(dates.nextInt(SyntheticRoster.PLACES.size()))));
                timed(size, "GET /clusters?q=number (a few)", requests,
                        () -> reporting + "/clusters?q=" + query(" " + (1 + dates.nextInt(roster.made()))));
                timed(size, "GET /clusters?country=&sector=", requests, () -> reporting + "/clusters?country="
                        + SyntheticRoster.COUNTRIES[dates.nextInt(8)] + "&sector=STEEL");
                // A page near the end of the directory: the clusters that joined before the synthetic roster's
                // second month, found by a page's next as a client following them would have it.
                timed(size, "GET /clusters, a page of 100 near the end", Math.max(5, requests / 10),
                        () -> reporting + "/clusters?size=100&after="
                                + SyntheticRoster.FIRST_DAY.plusMonths(1) + "_999999999999999999");
                if (rebuild) {
                    boolean last = size == sizes.get(sizes.size() - 1);
                    Map<String, List<Double>> rounds = new LinkedHashMap<>();
                    Map<String, List<Double>> peerRounds = new LinkedHashMap<>();
                    for (int round = 0; round < (last ? rebuilds : 1); round++) {
                        // Only the first round is recorded: a second would overwrite its flight.
                        boolean recorded = profile && last && round == 0;
                        boolean ofPeer = !peerEnvironment.isEmpty() && round % 2 == 1;
                        rebuild(coalition, size, ofPeer ? peerRounds : rounds, service -> {
                            Map<String, String> environment = new LinkedHashMap<>(recorded
                                    ? HotMethods.recordFromStart(recordings, service + "-service")
                                    : Map.of());
                            environment.putAll(ofPeer ? peerEnvironment : Map.of());
                            return environment;
                        });
                    }
                    rounds.forEach((line, figures) -> record(line, size, median(figures)));
                    peerRounds.forEach((line, figures) -> record(line + " (" + peer + ")", size, median(figures)));
                    if (rounds.values().iterator().next().size() + peerRounds.size() > 1) {
                        printRounds(size, "", rounds);
                        printRounds(size, " with " + peer, peerRounds);
                    }
                }
                for (var service : coalition.services()) {
                    FIGURES.computeIfAbsent(service.name() + " RSS, MiB", line -> new LinkedHashMap<>())
                            .put(size, (double) Footprint.residentMiB(service.pid(), "VmRSS"));
                }
                if (memory) {
                    Footprint.report("At " + size + " clusters, after the reads and the rebuilds", coalition, true);
                }
                print(sizes);
            }
        }
        if (profile) {
            for (String service : List.of("metrics-service", "reporting-service")) {
                HotMethods.print(service + ", taking in the backlog", recordings.resolve(service + "-backlog.jfr"), 25,
                        backlogResumed);
                if (rebuild) {
                    // Written as the services stopped.
                    HotMethods.print(service + ", rebuilt", recordings.resolve(service + ".jfr"), 25);
                }
            }
        }
    }

    /**
     * Imports synthetic clusters until the roster has {@code size}. Most of them with every service running, as on one
     * machine, until the rows are on cluster-events, in the totals and in the directory. The last fifth (at most
     * {@link #ROWS_WITH_CONSUMERS_PAUSED}) with metrics-service and reporting-service paused, as where they run on
     * machines of their own: membership-service's rate alone, then theirs as they take in that backlog. If
     * {@code recordings} is given, their flight as they take it in is recorded there.
     */
    private static void grow(LocalCoalition coalition, SyntheticRoster roster, int size, Path recordings)
            throws Exception {
        long missing = size - coalition.clusters - roster.made();
        long paused = Math.min(missing / 5, ROWS_WITH_CONSUMERS_PAUSED);
        String reporting = coalition.reporting.baseUri();
        try (Autovacuum autovacuum = new Autovacuum()) {
            long start = System.nanoTime();
            importRows(coalition, roster, missing - paused);
            record("import, answered, rows/s", size, (missing - paused) / seconds(start));
            Map<String, Double> reached = reached(coalition, start, size - paused, List.of(PUBLISHED, COUNTED,
                    LISTED));
            reached.forEach((where, seconds) -> record("import, " + where + ", rows/s", size,
                    (missing - paused) / seconds));

            List<ServiceProcess> consumers = List.of(coalition.metrics, coalition.reporting);
            signal("STOP", consumers);
            try {
                start = System.nanoTime();
                importRows(coalition, roster, paused);
                record("import, metrics and reporting paused, answered, rows/s", size, paused / seconds(start));
                record("import, metrics and reporting paused, " + PUBLISHED + ", rows/s", size,
                        paused / reached(coalition, start, size, List.of(PUBLISHED)).get(PUBLISHED));
            } finally {
                signal("CONT", consumers);
            }
            backlogResumed = Instant.now();
            start = System.nanoTime();
            reached(coalition, start, size, List.of(COUNTED, LISTED)).forEach((where, seconds) -> record(
                    "then that backlog " + where + ", rows/s", size, paused / seconds));
            if (recordings != null) {
                for (ServiceProcess consumer : consumers) {
                    HotMethods.dump(consumer.pid(), recordings.resolve(consumer.name() + "-backlog.jfr"));
                }
            }
        }
        vacuum();
        System.out.printf("%,d clusters in the roster%n", count(reporting + "/clusters?size=1", TOTAL));
    }

    /**
     * {@code dashboards} open pages refreshing after each of 10 changes (a cluster imported), next to the same burst of
     * requests to a constant endpoint of the same process ({@link Dashboards}).
     */
    private static void dashboards(LocalCoalition coalition, SyntheticRoster roster, int size, int dashboards) {
        String what = dashboards + " dashboards' refresh after a change";
        try {
            Dashboards.Figures refresh = Dashboards.measure(coalition.reporting, dashboards, 10, count(
                    coalition.reporting.baseUri() + "/coalition", CLUSTERS), () -> importRows(coalition, roster, 1));
            record(what + ", p50 ms", size, refresh.p50());
            record(what + ", p99 ms", size, refresh.p99());
            record("  the same burst to constant JSON (the peer), p50 ms", size, refresh.peerP50());
            record("  the same burst to constant JSON (the peer), p99 ms", size, refresh.peerP99());
            record(what + ", new answers (200) of " + Dashboards.REFRESH.size(), size, refresh.changedPerRefresh());
            record(what + ", KB per dashboard", size, refresh.bytesPerRefresh() / 1000.0);
        } catch (Exception failed) {
            System.out.printf("%s at %,d clusters failed: %s%n", what, size, failed);
        }
    }

    private static void importRows(LocalCoalition coalition, SyntheticRoster roster, long rows) throws Exception {
        for (long missing = rows; missing > 0; missing -= ROWS_PER_IMPORT) {
            LocalCoalition.send(HttpRequest.newBuilder(URI.create(coalition.membership.baseUri() + "/clusters/import"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + coalition.token)
                    .timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(roster.next(
                            (int) Math.min(ROWS_PER_IMPORT, missing)))))
                    .build(),
                    200);
        }
    }

    /**
     * Waits until the roster's {@code clusters} are where each of {@code places} says: on cluster-events once its
     * partitions hold as many records, in the totals once metrics-service counted them, in the directory once reporting-service
     * took
     * them in; answers the seconds from {@code start} until each.
     */
    private static Map<String, Double> reached(LocalCoalition coalition, long start, long clusters,
            List<String> places) throws Exception {
        String reporting = coalition.reporting.baseUri();
        Map<String, Double> reached = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> clusterEvents = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, coalition.broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = clusterEvents.partitionsFor("cluster-events").stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
            while (reached.size() < places.size()) {
                for (String place : places) {
                    if (!reached.containsKey(place) && switch (place) {
                        // One ClusterJoined per cluster, and no other event.
                        case PUBLISHED -> clusterEvents.endOffsets(partitions).values().stream()
                                .mapToLong(Long::longValue).sum() >= clusters;
                        case COUNTED -> count(reporting + "/coalition", CLUSTERS) >= clusters;
                        default -> count(reporting + "/clusters?size=1", TOTAL) >= clusters;
                    }) {
                        reached.put(place, seconds(start));
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        Map<String, Double> inOrder = new LinkedHashMap<>();
        places.forEach(place -> inOrder.put(place, reached.get(place)));
        return inOrder;
    }

    /** Pauses ({@code STOP}) or resumes ({@code CONT}) the services' processes. */
    private static void signal(String signal, List<ServiceProcess> services) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        services.forEach(service -> command.add(Long.toString(service.pid())));
        if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void record(String line, int size, double figure) {
        FIGURES.computeIfAbsent(line, key -> new LinkedHashMap<>()).put(size, figure);
    }

    /**
     * What PostgreSQL's autovacuum would do while the roster grows, which this machine's server does not (its conf.d
     * turns it off): each database vacuumed and analyzed a minute after the last time. Without it the planner keeps the
     * statistics of a roster a tenth the size, and the timeline's rows, updated by every batch, their dead versions.
     */
    private static final class Autovacuum implements AutoCloseable {

        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

        Autovacuum() {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    vacuum();
                } catch (SQLException failed) {
                    System.out.println("VACUUM failed: " + failed);
                }
            }, 1, 1, TimeUnit.MINUTES);
        }

        @Override
        public void close() throws InterruptedException {
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.MINUTES);
        }
    }

    /**
     * Vacuums each database and gathers its statistics, as PostgreSQL's autovacuum does within a minute of a bulk load
     * (see {@link Autovacuum}).
     */
    private static void vacuum() throws SQLException {
        for (String service : List.of("membership", "metrics", "reporting")) {
            LocalCoalition.sql(service, "VACUUM (ANALYZE)");
        }
    }

    /**
     * Rebuilds metrics-service's totals (as deploy/local/rebuild-totals.sh does: stopped, its totals forgotten,
     * started) and reporting-service's views (stopped, its tables emptied as a new database's are, started), one
     * after the other, and adds to {@code rounds} the seconds until each shows the whole roster again, its start
     * included, and the shares of them until it was stopped and emptied, and then until it was started and ready; the
     * CPU each process used until then; and PostgreSQL's checkpoints and WAL meanwhile, which its own work and
     * whatever came before it cause (their timing is PostgreSQL's). Each service is started with what the recording
     * gives it.
     */
    private static void rebuild(LocalCoalition coalition, int size, Map<String, List<Double>> rounds,
            Recording recording) throws Exception {
        Rebuilt metrics = new Rebuilt("metrics-service", rounds, coalition);
        metrics.restarted(coalition.restart("metrics", "SELECT forget_totals()", recording.of("metrics")));
        while (count(coalition.metrics.baseUri() + "/totals/coalition", CLUSTERS) < size) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        metrics.done(coalition.metrics);
        Map<String, String> reportingEnvironment = new HashMap<>(recording.of("reporting"));
        // Says how long the end of the replay took: the timeline, then the directory's indexes.
        reportingEnvironment.put("QUARKUS_LOG_CATEGORY__ORG_COALITIONTRACKER_REPORTING_DIRECTORY__LEVEL", "INFO");
        Rebuilt reportingRebuild = new Rebuilt("reporting-service", rounds, coalition);
        reportingRebuild.restarted(coalition.restart("reporting", "TRUNCATE cluster_entry, cluster_version, scope_view",
                reportingEnvironment));
        String reporting = coalition.reporting.baseUri();
        Double directory = null;
        Double totals = null;
        Double indexes = null;
        // Each time is taken when the answer came: the directory's count waits for the timeline being computed at the
        // replay's end (it empties the timeline first, and holds it until it commits).
        while (directory == null || totals == null || indexes == null) {
            TimeUnit.MILLISECONDS.sleep(200);
            // Dropped when the replay began, built after the timeline that the directory's count reads.
            if (directory != null && indexes == null && LocalCoalition.number("reporting",
                    "SELECT count(*) FROM pg_indexes WHERE tablename = 'cluster_entry'") == DIRECTORY_INDEXES) {
                indexes = reportingRebuild.seconds();
            }
            // Only once no replay waits (the end of one commits the timeline that the directory's count reads, and
            // empties timeline_replay, a table of a row per partition): until the replay's end builds its indexes,
            // the directory's first page sorts every entry (three processes for 0.2 s each at a million), and asking
            // for it even once a second took a share of the machine's CPU from the replay.
            if (directory == null && LocalCoalition.number("reporting", "SELECT count(*) FROM timeline_replay") == 0
                    && count(reporting + "/clusters?size=1", TOTAL) >= size) {
                directory = reportingRebuild.seconds();
            }
            if (totals == null && count(reporting + "/coalition", CLUSTERS) >= size) {
                totals = reportingRebuild.seconds();
            }
            if (directory != null && totals != null && !reportingRebuild.isDone()) {
                reportingRebuild.done(coalition.reporting);
            }
        }
        reportingRebuild.add("its directory, s", directory);
        reportingRebuild.add("its totals, s", totals);
        reportingRebuild.add("its directory's search indexes, s", indexes);
        vacuum();
    }

    /**
     * One service's rebuild: from the moment it was stopped, how long it took and what the machine did meanwhile,
     * added to the rounds' lines.
     */
    private static final class Rebuilt {

        private final String service;
        private final Map<String, List<Double>> rounds;
        private final long brokerPid;
        private final long start = System.nanoTime();
        private final CpuTime cpuBefore;
        private final Map<String, Long> postgresBefore;
        private boolean done;

        Rebuilt(String service, Map<String, List<Double>> rounds, LocalCoalition coalition) throws SQLException {
            this.service = service;
            this.rounds = rounds;
            this.brokerPid = coalition.broker.pid();
            this.cpuBefore = CpuTime.now(ProcessHandle.current().pid(), brokerPid);
            this.postgresBefore = postgresCounters();
        }

        double seconds() {
            return RosterGrowth.seconds(start);
        }

        void add(String what, double figure) {
            rounds.computeIfAbsent(service + " rebuild, " + what, line -> new ArrayList<>()).add(figure);
        }

        void restarted(double down) {
            add("stopped and emptied, s", down);
            add("then started until ready, s", seconds() - down);
        }

        boolean isDone() {
            return done;
        }

        /**
         * It shows the whole roster again: the rebuild's time, what each process used until now, and the service's
         * peak resident memory (the table's resident set, read once the rebuilds are done, is lower than their peak).
         */
        void done(ServiceProcess rebuilt) throws SQLException, IOException, InterruptedException {
            done = true;
            rounds.computeIfAbsent(service + " rebuild, s", line -> new ArrayList<>()).add(seconds());
            // The service started since the reading before, so all its CPU went into the rebuild.
            CpuTime now = CpuTime.now(rebuilt.pid(), brokerPid);
            add("CPU of the service, s", now.byProcess().get(CpuTime.SERVICE).toMillis() / 1000.0);
            for (String process : List.of(CpuTime.POSTGRES, CpuTime.KAFKA)) {
                add("CPU of " + process + ", s",
                        now.byProcess().get(process).minus(cpuBefore.byProcess().get(process)).toMillis() / 1000.0);
            }
            Map<String, Long> postgres = postgresCounters();
            add("PostgreSQL's checkpoints", postgres.get("checkpoints") - postgresBefore.get("checkpoints"));
            add("PostgreSQL's WAL, MB", (postgres.get("wal") - postgresBefore.get("wal")) / 1e6);
            add("peak RSS of the service (VmHWM), MiB", Footprint.residentMiB(rebuilt.pid(), "VmHWM"));
            // The serial collector stops the service while it runs: its pauses are part of the rebuild's time.
            ScrapedMetrics metrics = ScrapedMetrics.of(rebuilt);
            add("GC pauses, s", metrics.sum("jvm_gc_pause_seconds_sum"));
            add("GC pauses in full collections, s",
                    metrics.sum("jvm_gc_pause_seconds_sum", "action=\"end of major GC\""));
        }
    }

    /** PostgreSQL's checkpoints (timed or requested) and bytes of WAL since its statistics were last reset. */
    private static Map<String, Long> postgresCounters() throws SQLException {
        return Map.of("checkpoints", LocalCoalition.number("reporting",
                "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter"),
                "wal", LocalCoalition.number("reporting", "SELECT wal_bytes::bigint FROM pg_stat_wal"));
    }

    /** What a rebuilt service is given: what records its flight, if it is profiled, and the peer's settings. */
    private interface Recording {
        Map<String, String> of(String service) throws IOException;
    }

    /**
     * Sends {@code requests} GETs one after another; records their median and p99 in ms, and the answers' size. A read
     * that fails (the service ran out of memory, say) is reported and left out of the table.
     */
    private static void timed(int size, String what, int requests, Supplier<String> uri) {
        timedTogether(size, what, requests, () -> List.of(uri.get()));
    }

    /** Times the requests of each round one after the other, and counts the bytes of all their answers. */
    private static void timedTogether(int size, String what, int requests, Supplier<List<String>> uris) {
        try {
            measure(size, what, requests, uris);
        } catch (Exception failed) {
            System.out.printf("%s at %,d clusters failed: %s%n", what, size, failed);
        }
    }

    private static void measure(int size, String what, int requests, Supplier<List<String>> uris) throws Exception {
        List<Long> nanos = new ArrayList<>();
        long bytes = 0;
        // The first fifth warms the path up (the JIT's first compilations), and is not counted.
        for (int i = -requests / 5; i < requests; i++) {
            long start = System.nanoTime();
            bytes = 0;
            for (String uri : uris.get()) {
                HttpResponse<InputStream> response = LocalCoalition.HTTP.send(HttpRequest.newBuilder(URI.create(uri))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    bytes += body.transferTo(OutputStream.nullOutputStream());
                }
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(what + " answered " + response.statusCode() + " to " + uri);
                }
            }
            if (i >= 0) {
                nanos.add(System.nanoTime() - start);
            }
        }
        nanos.sort(null);
        FIGURES.computeIfAbsent(what + ", p50 ms", line -> new LinkedHashMap<>()).put(size,
                Load.percentile(nanos, 0.50));
        FIGURES.computeIfAbsent(what + ", p99 ms", line -> new LinkedHashMap<>()).put(size,
                Load.percentile(nanos, 0.99));
        if (bytes > 10_000) {
            FIGURES.computeIfAbsent(what + ", KB", line -> new LinkedHashMap<>()).put(size, bytes / 1000.0);
        }
    }

    private static long count(String uri, Pattern pattern) throws Exception {
        Matcher matcher = pattern.matcher(LocalCoalition.HTTP.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static String query(String text) {
        return URLEncoder.encode(text.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8);
    }

    private static double median(List<Double> figures) {
        List<Double> sorted = figures.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Each round's figures of the rebuilds at a size, whose median the table shows. */
    private static void printRounds(int size, String with, Map<String, List<Double>> rounds) {
        if (rounds.isEmpty()) {
            return;
        }
        System.out.printf("%nThe rebuilds at %,d clusters%s, round by round (the table shows the median):%n", size,
                with);
        rounds.forEach((line, figures) -> {
            StringBuilder row = new StringBuilder(String.format("%-64s", line));
            figures.forEach(figure -> row.append(String.format("%,14.1f", figure)));
            System.out.println(row);
        });
    }

    /** The table so far: a column per size measured, and the growth from the first size to the last. */
    private static void print(List<Integer> sizes) {
        StringBuilder header = new StringBuilder(String.format("%-64s", "at " + LocalDate.now() + ", clusters"));
        sizes.forEach(size -> header.append(String.format("%14s", String.format("%,d", size))));
        System.out.println();
        System.out.println(header.append(String.format("%10s", "growth")));
        FIGURES.forEach((line, bySize) -> {
            StringBuilder row = new StringBuilder(String.format("%-64s", line));
            sizes.forEach(size -> row.append(bySize.containsKey(size) ? String.format("%,14.1f", bySize.get(size))
                    : String.format("%14s", "")));
            double first = bySize.values().iterator().next();
            double last = bySize.values().stream().reduce((a, b) -> b).orElse(first);
            row.append(bySize.size() > 1 ? String.format("%9.1f×", last / first) : "");
            System.out.println(row);
        });
        System.out.println();
    }
}
