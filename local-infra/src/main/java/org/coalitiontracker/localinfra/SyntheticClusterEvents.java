package org.coalitiontracker.localinfra;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A reproducible stream of cluster events as membership-service publishes them (ClusterJoined, ClusterFiguresRevised,
 * ClusterWithdrawn v1 with CloudEvents headers and a traceparent), with the faults a consumer must survive:
 * redelivered copies and stale versions arriving late. It also sums the totals the stream must produce, on its own, so that a
 * test can
 * compare metrics-service's totals with an independent answer.
 */
public final class SyntheticClusterEvents {

    /** One record for {@code cluster-events}: key (the cluster id), JSON value and headers. */
    public record Event(String key, String value, Map<String, String> headers) {
    }

    /** The totals a scope must show once every event is applied. */
    public record Totals(long clusters, long countries, BigDecimal emissionsReductionMtPerYear, long jobs,
            BigDecimal gdpUsdBn) {
    }

    private static final String[][] COUNTRIES = { { "GB", "EUROPE" }, { "NL", "EUROPE" }, { "ES", "EUROPE" },
            { "FR", "EUROPE" }, { "DE", "EUROPE" }, { "SE", "EUROPE" }, { "BE", "EUROPE" }, { "US", "AMERICAS" },
            { "BR", "AMERICAS" }, { "CO", "AMERICAS" }, { "CL", "AMERICAS" }, { "CA", "AMERICAS" },
            { "IN", "ASIA" }, { "CN", "ASIA" }, { "JP", "ASIA" }, { "TH", "ASIA" }, { "SA", "ASIA" },
            { "AE", "ASIA" }, { "AU", "OCEANIA" }, { "NZ", "OCEANIA" }, { "ZA", "AFRICA" }, { "EG", "AFRICA" },
            { "KE", "AFRICA" }, { "MA", "AFRICA" } };
    /** Sectors as the vocabulary spells them. */
    public static final List<String> SECTORS = List.of("STEEL", "CEMENT", "CHEMICALS", "REFINING", "PETROCHEMICALS",
            "HYDROGEN", "AMMONIA", "POWER", "RENEWABLES", "CCS", "GAS", "PORT_LOGISTICS", "SHIPPING",
            "AVIATION_FUELS", "BATTERIES", "MANUFACTURING", "ALUMINIUM", "PAPER", "RECYCLING");
    private static final LocalDate FIRST_DAY = LocalDate.of(2021, 11, 2);
    private static final int DAYS = 1850;

    /** A cluster as the stream last left it. */
    private record Cluster(UUID id, int version, String country, String region, List<String> sectors,
            LocalDate joinedOn, LocalDate withdrawnOn, BigDecimal emissions, long jobs, BigDecimal gdp) {
    }

    private final Random random;
    private final List<Cluster> clusters = new ArrayList<>();
    private final Map<UUID, Integer> index = new HashMap<>();
    private final List<Event> published = new ArrayList<>();

    public SyntheticClusterEvents(long seed) {
        this.random = new Random(seed);
    }

    /**
     * The next {@code count} events: mostly joins, then revisions and withdrawals of earlier clusters, and one in
     * ten a copy of an earlier event (a redelivery, or an older version arriving after a newer one).
     */
    public List<Event> next(int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int dice = random.nextInt(100);
            Event event;
            if (dice < 10 && !published.isEmpty()) {
                event = published.get(random.nextInt(published.size()));
            } else if (dice < 25 && !clusters.isEmpty()) {
                event = revise(clusters.get(random.nextInt(clusters.size())));
            } else if (dice < 30 && !clusters.isEmpty()) {
                event = withdraw(clusters.get(random.nextInt(clusters.size())));
            } else {
                event = join();
            }
            if (event == null) {
                event = join();
            }
            published.add(event);
            events.add(event);
        }
        return events;
    }

    /** Publishes events to {@code cluster-events}, in order, and returns when the broker has them all. */
    public static void publish(String bootstrapServers, List<Event> events) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (Event event : events) {
                ProducerRecord<String, String> record = new ProducerRecord<>("cluster-events", event.key(),
                        event.value());
                event.headers().forEach((name, value) -> record.headers().add(name,
                        value.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
        }
    }

    /**
     * What every scope must total after all events so far: {@code coalition}, {@code country:GB},
     * {@code region:EUROPE}, {@code sector:STEEL}, {@code cohort:2025}. Scopes whose clusters all withdrew total
     * zero and are left out.
     */
    public Map<String, Totals> expectedTotals() {
        Map<String, List<Cluster>> members = new TreeMap<>();
        for (Cluster cluster : clusters) {
            if (cluster.withdrawnOn() != null) {
                continue;
            }
            List<String> scopes = new ArrayList<>(List.of("coalition", "country:" + cluster.country(),
                    "region:" + cluster.region(), "cohort:" + cluster.joinedOn().getYear()));
            cluster.sectors().forEach(sector -> scopes.add("sector:" + sector));
            scopes.forEach(scope -> members.computeIfAbsent(scope, s -> new ArrayList<>()).add(cluster));
        }
        Map<String, Totals> totals = new LinkedHashMap<>();
        members.forEach((scope, inScope) -> {
            Set<String> countries = new HashSet<>();
            BigDecimal emissions = BigDecimal.ZERO;
            BigDecimal gdp = BigDecimal.ZERO;
            long jobs = 0;
            for (Cluster cluster : inScope) {
                countries.add(cluster.country());
                emissions = emissions.add(cluster.emissions());
                jobs += cluster.jobs();
                gdp = gdp.add(cluster.gdp());
            }
            totals.put(scope, new Totals(inScope.size(), countries.size(), emissions, jobs, gdp));
        });
        return totals;
    }

    private Event join() {
        String[] country = COUNTRIES[random.nextInt(COUNTRIES.length)];
        List<String> sectors = new ArrayList<>(SECTORS);
        Collections.shuffle(sectors, random);
        Cluster cluster = new Cluster(uuid(), 1, country[0], country[1],
                List.copyOf(sectors.subList(0, 1 + random.nextInt(3))), FIRST_DAY.plusDays(random.nextInt(DAYS)),
                null, figure(), random.nextInt(200_000), figure());
        index.put(cluster.id(), clusters.size());
        clusters.add(cluster);
        return event("org.coalitiontracker.ClusterJoined.v1", cluster, String.format("""
                "name":"Synthetic cluster %s","emissionsReductionMtPerYear":%s,"jobs":%d,"gdpUsdBn":%s""",
                cluster.id(), cluster.emissions().toPlainString(), cluster.jobs(), cluster.gdp().toPlainString()));
    }

    private Event revise(Cluster cluster) {
        if (cluster.withdrawnOn() != null) {
            return null;
        }
        Cluster revised = new Cluster(cluster.id(), cluster.version() + 1, cluster.country(), cluster.region(),
                cluster.sectors(), cluster.joinedOn(), null, figure(), random.nextInt(200_000), figure());
        clusters.set(index.get(cluster.id()), revised);
        return event("org.coalitiontracker.ClusterFiguresRevised.v1", revised, "\"previous\":" + figures(cluster)
                + ",\"revised\":" + figures(revised));
    }

    private Event withdraw(Cluster cluster) {
        if (cluster.withdrawnOn() != null) {
            return null;
        }
        long daysLeft = FIRST_DAY.plusDays(DAYS).toEpochDay() - cluster.joinedOn().toEpochDay();
        Cluster withdrawn = new Cluster(cluster.id(), cluster.version() + 1, cluster.country(), cluster.region(),
                cluster.sectors(), cluster.joinedOn(), cluster.joinedOn().plusDays(random.nextLong(daysLeft + 1)),
                cluster.emissions(), cluster.jobs(), cluster.gdp());
        clusters.set(index.get(cluster.id()), withdrawn);
        return event("org.coalitiontracker.ClusterWithdrawn.v1", withdrawn, "\"withdrawnOn\":\""
                + withdrawn.withdrawnOn() + "\",\"figures\":" + figures(withdrawn));
    }

    private Event event(String type, Cluster cluster, String fields) {
        String value = String.format("""
                {"clusterId":"%s","version":%d,"country":"%s","region":"%s","joinedOn":"%s","sectors":["%s"],%s}""",
                cluster.id(), cluster.version(), cluster.country(), cluster.region(), cluster.joinedOn(),
                String.join("\",\"", cluster.sectors()), fields);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", uuid().toString());
        headers.put("ce_type", type);
        headers.put("ce_source", "urn:coalition-tracker:synthetic");
        // As membership-service sends them with tracing on: the send's span, in the change's trace.
        headers.put("traceparent", String.format("00-%016x%016x-%016x-01", random.nextLong(), random.nextLong(),
                random.nextLong()));
        return new Event(cluster.id().toString(), value, headers);
    }

    private static String figures(Cluster cluster) {
        return String.format("{\"emissionsReductionMtPerYear\":%s,\"jobs\":%d,\"gdpUsdBn\":%s}",
                cluster.emissions().toPlainString(), cluster.jobs(), cluster.gdp().toPlainString());
    }

    private UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    /** Up to 99.999 with three decimals, as the contracts allow. */
    private BigDecimal figure() {
        return BigDecimal.valueOf(random.nextInt(100_000), 3);
    }
}
