package org.coalitiontracker.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;

/**
 * How soon a freshly started membership-service serves joins at speed, as a pod the HPA adds must: it starts the
 * service on a fresh database, joins at concurrency 16 in 10-second windows from the moment it is ready, and prints
 * each window's rate, the plateau (the median of the last three windows) and the first window that reached 80% of it.
 * Several runs, each a fresh JVM; the median counts. The service runs on the JVM that runs this harness, with the
 * image's options and {@code JAVA_TOOL_OPTIONS} (an AOT cache, say). Run it with {@code benchmarks/warm-up.sh}.
 * Target: 80% of the plateau within 30 s.
 */
public final class WarmUp {

    private WarmUp() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 3);
        int windows = Integer.getInteger("windows", 18);
        String javaOptions = System.getProperty("service-java-options", "");
        DevelopmentTokens tokens = DevelopmentTokens.newKeyPair();
        System.out.printf("membership-service on Java %s%s; joins/s per 10 s window at concurrency 16:%n",
                Runtime.version().feature(), javaOptions.isEmpty() ? "" : " with " + javaOptions);
        List<Integer> secondsTo80 = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.inFreshDirectory().start()) {
            for (int run = 1; run <= runs; run++) {
                long starting = System.nanoTime();
                try (ServiceProcess membership = ServiceProcess.start("membership-service", "MEMBERSHIP_HTTP_PORT",
                        environment(tokens, broker, javaOptions)).awaitReady()) {
                    double ready = (System.nanoTime() - starting) / 1e9;
                    var joiner = JoinThroughput.joiner(membership, tokens.token("benchmark", "publisher"));
                    List<Double> rates = new ArrayList<>();
                    for (int window = 0; window < windows; window++) {
                        rates.add(Load.measure(16, Duration.ofSeconds(10), joiner).perSecond());
                    }
                    double plateau = rates.subList(windows - 3, windows).stream().sorted().toList().get(1);
                    int first = 0;
                    while (rates.get(first) < 0.8 * plateau) {
                        first++;
                    }
                    secondsTo80.add((first + 1) * 10);
                    boolean rising = rates.get(windows - 1) > 1.05 * rates.get(windows - 3);
                    System.out.printf("run %d: ready after %.1f s; %s; plateau %.0f, 80%% of it in window %d (%d s)%s%n",
                            run, ready, rates.stream().map(rate -> String.format("%.0f", rate)).toList(), plateau,
                            first + 1, (first + 1) * 10, rising ? "; still rising at the end: not a plateau, run more"
                                    + " WINDOWS" : "");
                }
            }
        }
        System.out.printf("Median: 80%% of the plateau after %d s of load. Target: 30 s.%n",
                secondsTo80.stream().sorted().toList().get(runs / 2));
    }

    private static Map<String, String> environment(DevelopmentTokens tokens, KafkaBroker broker, String javaOptions) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "MP_JWT_VERIFY_PUBLICKEY", tokens.publicKeyPem(),
                "MEMBERSHIP_JWT_ISSUER", DevelopmentTokens.ISSUER,
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "MEMBERSHIP_DB", PostgresDatabase.named("benchmark_warm_up").recreate().name()));
        if (!javaOptions.isEmpty()) {
            environment.put("JAVA_TOOL_OPTIONS", javaOptions);
        }
        return environment;
    }
}
