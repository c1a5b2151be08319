package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.DoubleStream;

import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.OtlpEndpoint;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;
import org.coalitiontracker.localinfra.SyntheticClusterEvents;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How fast metrics-service applies {@code cluster-events}: fills the topic with W warm-up events and then N measured
 * synthetic events (joins, revisions, withdrawals, one in ten a redelivered copy), then measures, each on the same
 * topic and machine,
 * <ol>
 * <li>Kafka's own consumer perf tool (kafka-consumer-perf-test): reading alone, the ceiling;</li>
 * <li>a plain Kafka Streams aggregation of the same totals ({@link StreamsTotals}), three times: exactly-once with
 * Kafka Streams' defaults, exactly-once committing every second, and at-least-once (metrics-service is exactly-once,
 * so this last one is a bound, not a rival);</li>
 * <li>metrics-service from its packaged jar on a fresh database, until {@code GET /totals} shows every scope's final
 * totals: over the whole topic from a cold start (like the peers), and over the last N events alone, once the W
 * before them have warmed the JVM up, as a service that has been running applies a backlog. It runs several times
 * (each on a fresh database), and the median counts.</li>
 * </ol>
 * A fresh JVM spends much of its first seconds compiling (JFR: the JIT compilers took over a core for the first
 * 20 s), so the cold figure mostly measures start-up; the warm one is the service's own rate. Prints the rates and the
 * ratios, and whether each reached the independently summed totals. Run it with
 * {@code benchmarks/totals-throughput.sh}. Target: at least 25,000 events/s and not below either exactly-once Kafka
 * Streams peer.
 * <p>
 * With {@code -Dcompare-tracing=true} it measures metrics-service alone, with tracing off and on in alternate runs
 * (the events carry a traceparent, as membership-service sends them), and prints the ratio. Target: tracing costs at
 * most 10 %.
 */
public final class TotalsThroughput {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private TotalsThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int warmUp = Integer.getInteger("warm-up", 200_000);
        int measured = Integer.getInteger("events", 200_000);
        int events = warmUp + measured;
        SyntheticClusterEvents stream = new SyntheticClusterEvents(42);
        List<SyntheticClusterEvents.Event> published = stream.next(events);
        Map<String, SyntheticClusterEvents.Totals> expected = stream.expectedTotals();
        try (KafkaBroker broker = KafkaBroker.inFreshDirectory().start()) {
            SyntheticClusterEvents.publish(broker.bootstrapServers(), published);
            System.out.printf("cluster-events holds %,d events: %,d to warm up, then %,d measured (%,d scopes to total)%n",
                    events, warmUp, measured, expected.size());

            // Run to run, the rate on a 2-core machine varies by a tenth or more: the median of several runs counts.
            int runs = Integer.getInteger("runs", 3);
            if (Boolean.parseBoolean(System.getProperty("compare-tracing", "false"))) {
                compareTracing(broker, warmUp, events, expected, runs);
                return;
            }
            List<MetricsResult> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                System.out.printf("metrics-service, run %d of %d:%n", run, runs);
                results.add(metricsService(broker, warmUp, events, expected, null));
            }
            MetricsResult metrics = MetricsResult.median(results);
            if (!Boolean.parseBoolean(System.getProperty("peers", "true"))) {
                System.out.printf("metrics-service, median of %d runs: %,.0f events/s from a cold start, "
                        + "%,.0f events/s warm%n", runs, events / metrics.seconds(), metrics.warmRate());
                return;
            }
            double perfTool = consumerPerfTool(broker, events);
            Map<StreamsTotals.Setting, StreamsTotals.Result> streams = new LinkedHashMap<>();
            for (StreamsTotals.Setting setting : StreamsTotals.Setting.ALL) {
                streams.put(setting, StreamsTotals.run(broker.bootstrapServers(), expected, setting));
            }

            System.out.printf("%n%-62s %12s %s%n", "", "events/s", "reached the expected totals");
            System.out.printf("%-62s %,12.0f %s%n", "Kafka consumer perf tool (reading only, whole topic)", perfTool,
                    "-");
            streams.forEach((setting, result) -> System.out.printf("%-62s %,12.0f %s%n",
                    "Kafka Streams, " + setting.name(), events / result.seconds(), result.correct() ? "yes" : "NO"));
            System.out.printf("%-62s %,12.0f %s%n", "metrics-service, whole topic from a cold start (median)",
                    events / metrics.seconds(), metrics.correct() ? "yes" : "NO");
            System.out.printf("%-62s %,12.0f %s%n", "metrics-service, after " + warmUp + " events of warm-up (median)",
                    metrics.warmRate(), metrics.correct() ? "yes" : "NO");
            System.out.printf("%nmetrics-service (exactly once) / each peer, whole topic from a cold start:%n");
            streams.forEach((setting, result) -> System.out.printf("  / Kafka Streams, %-46s %.2f%n", setting.name(),
                    result.seconds() / metrics.seconds()));
            System.out.printf("warm / consumer perf tool: %.2f%n", metrics.warmRate() / perfTool);
            System.out.printf("Target: >= 25,000 events/s, and >= 1.00 x each exactly-once Kafka Streams peer.%n");
        }
    }

    /** Runs kafka-consumer-perf-test in its own JVM, as an operator would, and reads its nMsg.sec column. */
    private static double consumerPerfTool(KafkaBroker broker, int events) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", broker.bootstrapServers(),
                "--topic", "cluster-events", "--messages", String.valueOf(events),
                "--group", "perf-" + UUID.randomUUID(), "--timeout", "60000")
                .redirectErrorStream(true).start();
        List<String> output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList();
        process.waitFor(2, TimeUnit.MINUTES);
        // Header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ... (log
        // lines may come between the header and the figures).
        boolean header = false;
        for (String line : output) {
            header |= line.startsWith("start.time");
            String[] columns = line.split(",\\s*");
            if (header && !line.startsWith("start.time") && columns.length >= 6) {
                System.out.printf("consumer perf tool: %s nMsg.sec (fetch only: %s)%n", columns[5].trim(),
                        columns.length > 9 ? columns[9].trim() : "?");
                return Double.parseDouble(columns[5].trim());
            }
        }
        throw new IllegalStateException("kafka-consumer-perf-test printed no figures:\n" + String.join("\n", output));
    }

    /**
     * metrics-service with tracing off (as deployed by default) and on (every span exported over OTLP to a sink that
     * discards it), in alternate runs so that a drift of the machine's speed falls on both alike.
     */
    private static void compareTracing(KafkaBroker broker, int warmUp, int events,
            Map<String, SyntheticClusterEvents.Totals> expected, int runs) throws Exception {
        List<MetricsResult> off = new ArrayList<>();
        List<MetricsResult> on = new ArrayList<>();
        AtomicLong exports = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        // Where the spans go: counted and thrown away, so that the cost measured is the service's own.
        try (OtlpEndpoint sink = OtlpEndpoint.start(body -> {
            bytes.addAndGet(body.transferTo(OutputStream.nullOutputStream()));
            exports.incrementAndGet();
        })) {
            for (int run = 1; run <= runs; run++) {
                System.out.printf("metrics-service, tracing off, run %d of %d:%n", run, runs);
                off.add(metricsService(broker, warmUp, events, expected, null));
                System.out.printf("metrics-service, tracing on, run %d of %d:%n", run, runs);
                long exportsBefore = exports.get();
                long bytesBefore = bytes.get();
                on.add(metricsService(broker, warmUp, events, expected, sink.url()));
                System.out.printf("  exported: %,d requests, %,d bytes%n", exports.get() - exportsBefore,
                        bytes.get() - bytesBefore);
            }
        }
        MetricsResult untraced = MetricsResult.median(off);
        MetricsResult traced = MetricsResult.median(on);
        System.out.printf("%n%-44s %16s %16s %s%n", "metrics-service (median of " + runs + " runs)",
                "cold, events/s", "warm, events/s", "reached the expected totals");
        System.out.printf("%-44s %,16.0f %,16.0f %s%n", "tracing off", events / untraced.seconds(),
                untraced.warmRate(), untraced.correct() ? "yes" : "NO");
        System.out.printf("%-44s %,16.0f %,16.0f %s%n", "tracing on, exported over OTLP", events / traced.seconds(),
                traced.warmRate(), traced.correct() ? "yes" : "NO");
        System.out.printf("%ntraced / untraced: %.2f cold, %.2f warm. Target: >= 0.90 (tracing costs at most 10 %%).%n",
                untraced.seconds() / traced.seconds(), traced.warmRate() / untraced.warmRate());
    }

    /** Seconds for the whole topic from ready, and events/s over those after the warm-up. */
    private record MetricsResult(double seconds, double warmRate, boolean correct) {

        static MetricsResult median(List<MetricsResult> results) {
            return new MetricsResult(TotalsThroughput.median(results.stream().mapToDouble(MetricsResult::seconds)),
                    TotalsThroughput.median(results.stream().mapToDouble(MetricsResult::warmRate)),
                    results.stream().allMatch(MetricsResult::correct));
        }
    }

    /** One run on a fresh database; traced, exporting to that OTLP/HTTP endpoint, if there is one. */
    private static MetricsResult metricsService(KafkaBroker broker, int warmUp, int events,
            Map<String, SyntheticClusterEvents.Totals> expected, String traces) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("METRICS_DB", PostgresDatabase.named("benchmark_metrics").recreate().name());
        environment.put("QUARKUS_LOG_LEVEL", "WARN");
        if (traces != null) {
            environment.put("OTEL_SDK_DISABLED", "false");
            environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces);
            environment.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        }
        try (ServiceProcess metrics = ServiceProcess.start("metrics-service", "METRICS_HTTP_PORT", environment)) {
            metrics.awaitReady();
            long started = System.nanoTime();
            long deadline = started + TimeUnit.MINUTES.toNanos(10);
            // The warm part starts at the first moment the service has taken in at least the warm-up events: its
            // counters then say exactly how many it has, and the rate counts only those it takes in after.
            long warmFrom = 0;
            double takenInAtWarmFrom = 0;
            boolean correct = false;
            while (System.nanoTime() < deadline && !(correct = shows(metrics, expected))) {
                if (warmFrom == 0) {
                    long now = System.nanoTime();
                    double takenIn = takenIn(ScrapedMetrics.of(metrics));
                    if (takenIn >= warmUp) {
                        warmFrom = now;
                        takenInAtWarmFrom = takenIn;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            long finished = System.nanoTime();
            double seconds = (finished - started) / 1e9;
            double warmSeconds = (finished - warmFrom) / 1e9;
            double warmRate = (events - takenInAtWarmFrom) / warmSeconds;
            System.out.printf("  %,d events in %.1f s (%,.0f/s); the last %,.0f of them in %.1f s (%,.0f/s)%n", events,
                    seconds, events / seconds, events - takenInAtWarmFrom, warmSeconds, warmRate);
            ScrapedMetrics scraped = ScrapedMetrics.of(metrics);
            double batches = scraped.sum("cluster_events_batch_size_count");
            System.out.printf("  %.0f batches, %.0f records each on average, %.1f ms each on average%n", batches,
                    scraped.sum("cluster_events_batch_size_sum") / batches,
                    1000 * scraped.sum("cluster_events_batch_duration_seconds_sum") / batches);
            return new MetricsResult(seconds, warmRate, correct);
        }
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** Records the service has committed: applied, skipped as duplicates or dead-lettered. */
    private static double takenIn(ScrapedMetrics scraped) {
        return scraped.sum("cluster_events_applied_total") + scraped.sum("cluster_events_duplicates_total")
                + scraped.sum("cluster_events_dead_lettered_total");
    }

    /** Whether GET /totals shows exactly the expected totals (scopes left at zero aside). */
    private static boolean shows(ServiceProcess metrics, Map<String, SyntheticClusterEvents.Totals> expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(metrics.baseUri() + "/totals"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.out.printf("  GET /totals answered %d: %s%n", response.statusCode(), response.body());
            return false;
        }
        Map<String, SyntheticClusterEvents.Totals> shown = new HashMap<>();
        for (JsonNode scope : JSON.readTree(response.body())) {
            SyntheticClusterEvents.Totals totals = new SyntheticClusterEvents.Totals(scope.get("clusters").asLong(),
                    scope.get("countries").asLong(), scope.get("emissionsReductionMtPerYear").decimalValue()
                            .setScale(3),
                    scope.get("jobs").asLong(), scope.get("gdpUsdBn").decimalValue().setScale(3));
            if (totals.clusters() != 0) {
                shown.put(scope.get("scope").asText(), totals);
            }
        }
        return shown.equals(expected);
    }
}
