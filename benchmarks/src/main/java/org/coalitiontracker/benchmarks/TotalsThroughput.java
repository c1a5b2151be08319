package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;
import org.coalitiontracker.localinfra.SyntheticClusterEvents;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How fast metrics-service applies {@code cluster-events}: fills the topic with N synthetic events (joins, revisions,
 * withdrawals, one in ten a redelivered copy), then measures, each on the same topic and machine,
 * <ol>
 * <li>Kafka's own consumer perf tool (kafka-consumer-perf-test): reading alone, the ceiling;</li>
 * <li>a plain Kafka Streams aggregation of the same totals ({@link StreamsTotals}), exactly-once;</li>
 * <li>metrics-service from its packaged jar on a fresh database: events/s from ready until {@code GET /totals}
 * shows every scope's final totals.</li>
 * </ol>
 * Prints the three rates and the ratios, and whether each reached the independently summed totals. Run it with
 * {@code benchmarks/totals-throughput.sh}. Target: at least 25,000 events/s and not below the Kafka Streams peer.
 */
public final class TotalsThroughput {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private TotalsThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 200_000);
        SyntheticClusterEvents stream = new SyntheticClusterEvents(42);
        List<SyntheticClusterEvents.Event> published = stream.next(events);
        Map<String, SyntheticClusterEvents.Totals> expected = stream.expectedTotals();
        try (KafkaBroker broker = KafkaBroker.inFreshDirectory().start()) {
            SyntheticClusterEvents.publish(broker.bootstrapServers(), published);
            System.out.printf("cluster-events holds %,d events (%,d scopes to total)%n", events, expected.size());

            MetricsResult metrics = metricsService(broker, events, expected);
            if (!Boolean.parseBoolean(System.getProperty("peers", "true"))) {
                System.out.printf("metrics-service: %,.0f events/s%n", events / metrics.seconds());
                return;
            }
            double perfTool = consumerPerfTool(broker, events);
            StreamsTotals.Result streams = StreamsTotals.run(broker.bootstrapServers(), expected);

            System.out.printf("%n%-46s %12s %s%n", "", "events/s", "reached the expected totals");
            System.out.printf("%-46s %,12.0f %s%n", "Kafka consumer perf tool (reading only)", perfTool, "-");
            System.out.printf("%-46s %,12.0f %s%n", "Kafka Streams aggregation (exactly-once)",
                    events / streams.seconds(), streams.correct() ? "yes" : "NO");
            System.out.printf("%-46s %,12.0f %s%n", "metrics-service (batches, positions in the tx)",
                    events / metrics.seconds(), metrics.correct() ? "yes" : "NO");
            System.out.printf("%nmetrics-service / consumer perf tool: %.2f; metrics-service / Kafka Streams: %.2f%n",
                    events / metrics.seconds() / perfTool, streams.seconds() / metrics.seconds());
            System.out.printf("Target: >= 25,000 events/s and >= 1.00 x Kafka Streams.%n");
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

    private record MetricsResult(double seconds, boolean correct) {
    }

    private static MetricsResult metricsService(KafkaBroker broker, int events,
            Map<String, SyntheticClusterEvents.Totals> expected) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("METRICS_DB", PostgresDatabase.named("benchmark_metrics").recreate().name());
        environment.put("QUARKUS_LOG_LEVEL", "WARN");
        try (ServiceProcess metrics = ServiceProcess.start("metrics-service", "METRICS_HTTP_PORT", environment)) {
            metrics.awaitReady();
            long started = System.nanoTime();
            long deadline = started + TimeUnit.MINUTES.toNanos(10);
            boolean correct = false;
            while (System.nanoTime() < deadline && !(correct = shows(metrics, expected))) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("metrics-service: %,d events in %.1f s%n", events, seconds);
            String scraped = HTTP.send(HttpRequest.newBuilder(URI.create(metrics.baseUri() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double batches = metric(scraped, "cluster_events_batch_size_count");
            System.out.printf("  %.0f batches, %.0f records each on average, %.1f ms each on average%n", batches,
                    metric(scraped, "cluster_events_batch_size_sum") / batches,
                    1000 * metric(scraped, "cluster_events_batch_duration_seconds_sum") / batches);
            return new MetricsResult(seconds, correct);
        }
    }

    private static double metric(String scraped, String name) {
        return scraped.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Whether GET /totals shows exactly the expected totals (scopes left at zero aside). */
    private static boolean shows(ServiceProcess metrics, Map<String, SyntheticClusterEvents.Totals> expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(metrics.baseUri() + "/totals"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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
