package org.coalitiontracker.benchmarks;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.coalitiontracker.localinfra.SyntheticClusterEvents;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Kafka Streams peer of metrics-service: the same totals by the textbook DSL. Each cluster's newest version is
 * a KTable; each (cluster, scope) membership another; grouping the memberships by scope with an adder and a
 * subtractor gives every scope's clusters, figures and per-country counts. RocksDB stores, default caching; the
 * processing guarantee and commit interval are a {@link Setting}: Kafka Streams' defaults for exactly-once (v2, a
 * commit every 100 ms) and what a user tuning for throughput would choose. Simplification it may take on the
 * synthetic stream: a cluster's scopes never change.
 */
final class StreamsTotals {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    record Result(double seconds, boolean correct) {
    }

    /** How the peer runs: its processing guarantee, and its commit interval (null: Kafka Streams' default for it). */
    record Setting(String name, String guarantee, Long commitIntervalMs) {

        static final List<Setting> ALL = List.of(
                new Setting("exactly-once v2, defaults (commit every 100 ms)", StreamsConfig.EXACTLY_ONCE_V2, null),
                new Setting("exactly-once v2, commit every 1 s", StreamsConfig.EXACTLY_ONCE_V2, 1000L),
                new Setting("at-least-once, defaults (commit every 30 s)", StreamsConfig.AT_LEAST_ONCE, null));
    }

    private StreamsTotals() {
    }

    static Result run(String bootstrapServers, Map<String, SyntheticClusterEvents.Totals> expected, Setting setting)
            throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("cluster-events", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(State::line)
                .groupByKey()
                .reduce((newest, next) -> State.version(next) > State.version(newest) ? next : newest)
                .toStream()
                .flatMap((clusterId, state) -> {
                    List<KeyValue<String, String>> memberships = new ArrayList<>();
                    for (String scope : State.scopes(state)) {
                        memberships.add(KeyValue.pair(clusterId + "|" + scope, state));
                    }
                    return memberships;
                })
                .toTable(Materialized.with(Serdes.String(), Serdes.String()))
                .groupBy((membership, state) -> KeyValue.pair(membership.substring(membership.indexOf('|') + 1),
                        state), Grouped.with(Serdes.String(), Serdes.String()))
                .aggregate(() -> Totals.EMPTY, (scope, state, totals) -> Totals.add(totals, state, 1),
                        (scope, state, totals) -> Totals.add(totals, state, -1),
                        Materialized.<String, String, KeyValueStore<Bytes, byte[]>> as("totals")
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));

        Path stateDir = Files.createTempDirectory("streams-totals");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-totals-" + UUID.randomUUID());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, setting.guarantee());
        if (setting.commitIntervalMs() != null) {
            config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, setting.commitIntervalMs());
        }
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            long started = System.nanoTime();
            streams.start();
            long deadline = started + TimeUnit.MINUTES.toNanos(10);
            boolean correct = false;
            while (System.nanoTime() < deadline && streams.state() != KafkaStreams.State.ERROR
                    && !(correct = shows(streams, expected))) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Kafka Streams, %s: %.1f s%n", setting.name(), seconds);
            streams.close();
            streams.cleanUp();
            return new Result(seconds, correct);
        }
    }

    private static boolean shows(KafkaStreams streams, Map<String, SyntheticClusterEvents.Totals> expected) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        ReadOnlyKeyValueStore<String, String> store = streams.store(
                StoreQueryParameters.fromNameAndType("totals", QueryableStoreTypes.keyValueStore()));
        Map<String, SyntheticClusterEvents.Totals> shown = new TreeMap<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> {
                SyntheticClusterEvents.Totals totals = Totals.of(entry.value);
                if (totals.clusters() != 0) {
                    shown.put(entry.key, totals);
                }
            });
        }
        return shown.equals(expected);
    }

    /** A cluster's state as one delimited line: version|withdrawn|country|region|cohort|sectors|e|jobs|gdp. */
    private static final class State {

        static String line(String eventJson) {
            try {
                JsonNode event = JSON.readTree(eventJson);
                JsonNode figures = event.has("revised") ? event.get("revised")
                        : event.has("figures") ? event.get("figures") : event;
                List<String> sectors = new ArrayList<>();
                event.get("sectors").forEach(sector -> sectors.add(sector.asText()));
                return String.join("|", event.get("version").asText(), event.has("withdrawnOn") ? "1" : "0",
                        event.get("country").asText(), event.get("region").asText(),
                        event.get("joinedOn").asText().substring(0, 4), String.join(",", sectors),
                        figures.get("emissionsReductionMtPerYear").decimalValue().toPlainString(),
                        figures.get("jobs").asText(), figures.get("gdpUsdBn").decimalValue().toPlainString());
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }

        static int version(String state) {
            return Integer.parseInt(state.substring(0, state.indexOf('|')));
        }

        static List<String> scopes(String state) {
            String[] fields = state.split("\\|");
            List<String> scopes = new ArrayList<>(List.of("coalition", "country:" + fields[2],
                    "region:" + fields[3], "cohort:" + fields[4]));
            for (String sector : fields[5].split(",")) {
                scopes.add("sector:" + sector);
            }
            return scopes;
        }
    }

    /** A scope's totals as one line: clusters|emissions|jobs|gdp|country=count,... */
    private static final class Totals {

        static final String EMPTY = "0|0|0|0|";

        static String add(String totals, String state, int sign) {
            String[] fields = state.split("\\|");
            if (fields[1].equals("1")) {
                return totals;
            }
            String[] sums = totals.split("\\|", -1);
            Map<String, Long> countries = countries(sums[4]);
            countries.merge(fields[2], (long) sign, Long::sum);
            countries.values().removeIf(count -> count == 0);
            StringBuilder perCountry = new StringBuilder();
            countries.forEach((country, count) -> perCountry.append(perCountry.isEmpty() ? "" : ",").append(country)
                    .append('=').append(count));
            return String.join("|", String.valueOf(Long.parseLong(sums[0]) + sign),
                    new BigDecimal(sums[1]).add(new BigDecimal(fields[6]).multiply(BigDecimal.valueOf(sign)))
                            .toPlainString(),
                    String.valueOf(Long.parseLong(sums[2]) + sign * Long.parseLong(fields[7])),
                    new BigDecimal(sums[3]).add(new BigDecimal(fields[8]).multiply(BigDecimal.valueOf(sign)))
                            .toPlainString(),
                    perCountry);
        }

        static SyntheticClusterEvents.Totals of(String totals) {
            String[] sums = totals.split("\\|", -1);
            return new SyntheticClusterEvents.Totals(Long.parseLong(sums[0]), countries(sums[4]).size(),
                    new BigDecimal(sums[1]).setScale(3), Long.parseLong(sums[2]), new BigDecimal(sums[3]).setScale(3));
        }

        private static Map<String, Long> countries(String field) {
            Map<String, Long> countries = new TreeMap<>();
            if (!field.isEmpty()) {
                for (String entry : field.split(",")) {
                    int equals = entry.indexOf('=');
                    countries.put(entry.substring(0, equals), Long.parseLong(entry.substring(equals + 1)));
                }
            }
            return countries;
        }
    }
}
