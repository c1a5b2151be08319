package org.coalitiontracker.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;

/**
 * How soon a freshly started membership-service serves joins at speed, as a pod the HPA adds must: it starts the
 * service on a fresh database, joins at concurrency 16 in 10-second windows from the moment it is ready, and prints
 * each window's rate, the plateau (the median of the last three windows), the first window that reached 80% of it, and
 * the joins of the first 30 and 60 seconds. Several runs, each a fresh JVM; the medians count. The service runs on the
 * JVM that runs this harness, with the image's options and {@code JAVA_TOOL_OPTIONS} (an AOT cache, say). With peer
 * options (a JIT flag, say), every second run gets those instead, and their medians show apart with their ratio: a
 * setting that only lowers the plateau reaches 80% of it sooner, and the plateau and the first joins tell. Run it with
 * {@code benchmarks/warm-up.sh}. Target: 80% of the plateau within 30 s.
 */
public final class WarmUp {

    private WarmUp() {
    }

    /** One fresh start's figures. */
    private record Run(double secondsTo80, double plateau, double joinsIn30s, double joinsIn60s) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 3);
        int windows = Integer.getInteger("windows", 18);
        String javaOptions = System.getProperty("service-java-options", "");
        String peerOptions = System.getProperty("peer-java-options", "");
        if (windows < 6) {
            throw new IllegalArgumentException("WINDOWS must be at least 6: the joins of the first 60 s are counted");
        }
        DevelopmentTokens tokens = DevelopmentTokens.newKeyPair();
        System.out.printf("membership-service on Java %s%s; joins/s per 10 s window at concurrency 16:%n",
                Runtime.version().feature(), javaOptions.isEmpty() ? "" : " with " + javaOptions);
        List<Run> own = new ArrayList<>();
        List<Run> peer = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.inFreshDirectory().start()) {
            for (int run = 1; run <= (peerOptions.isEmpty() ? runs : 2 * runs); run++) {
                boolean ofPeer = run % 2 == 0 && !peerOptions.isEmpty();
                Run figures = run(run, windows, environment(tokens, broker, ofPeer ? peerOptions : javaOptions),
                        tokens.token("benchmark", "publisher"), ofPeer ? " with " + peerOptions : "");
                (ofPeer ? peer : own).add(figures);
            }
        }
        summarize(own, "");
        if (!peer.isEmpty()) {
            summarize(peer, " with " + peerOptions);
            System.out.printf("Peer / own: plateau %.2f, joins in the first 30 s %.2f, in the first 60 s %.2f.%n",
                    median(peer, Run::plateau) / median(own, Run::plateau),
                    median(peer, Run::joinsIn30s) / median(own, Run::joinsIn30s),
                    median(peer, Run::joinsIn60s) / median(own, Run::joinsIn60s));
        }
    }

    private static Run run(int run, int windows, Map<String, String> environment, String token, String label)
            throws Exception {
        long starting = System.nanoTime();
        try (ServiceProcess membership = ServiceProcess.start("membership-service", "MEMBERSHIP_HTTP_PORT",
                environment).awaitReady()) {
            double ready = (System.nanoTime() - starting) / 1e9;
            var joiner = JoinThroughput.joiner(membership, token);
            List<Double> rates = new ArrayList<>();
            for (int window = 0; window < windows; window++) {
                rates.add(Load.measure(16, Duration.ofSeconds(10), joiner).perSecond());
            }
            double plateau = rates.subList(windows - 3, windows).stream().sorted().toList().get(1);
            int first = 0;
            while (rates.get(first) < 0.8 * plateau) {
                first++;
            }
            boolean rising = rates.get(windows - 1) > 1.05 * rates.get(windows - 3);
            System.out.printf("run %d%s: ready after %.1f s; %s; plateau %.0f, 80%% of it in window %d (%d s)%s%n", run,
                    label, ready, rates.stream().map(rate -> String.format("%.0f", rate)).toList(), plateau, first + 1,
                    (first + 1) * 10, rising ? "; still rising at the end: not a plateau, run more WINDOWS" : "");
            return new Run((first + 1) * 10, plateau, joins(rates, 3), joins(rates, 6));
        }
    }

    /** The joins of the first windows: each window's rate over its 10 seconds. */
    private static double joins(List<Double> rates, int windows) {
        return 10 * rates.subList(0, windows).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void summarize(List<Run> runs, String label) {
        System.out.printf("Median%s: 80%% of the plateau after %.0f s of load (target: 30 s); plateau %.0f joins/s; "
                + "joins in the first 30 s %.0f, in the first 60 s %.0f.%n", label, median(runs, Run::secondsTo80),
                median(runs, Run::plateau), median(runs, Run::joinsIn30s), median(runs, Run::joinsIn60s));
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        return runs.stream().mapToDouble(figure).sorted().toArray()[runs.size() / 2];
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
