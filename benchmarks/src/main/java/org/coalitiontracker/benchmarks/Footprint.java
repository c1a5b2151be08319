package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coalitiontracker.localinfra.ServiceProcess;

/**
 * What each service holds in memory, with the JVM settings the deployment uses (deploy/container/jvm.env, a 512 MiB
 * container): the resident set that Kubernetes counts against the pod's limit, and the JVM's own account of it
 * (Native Memory Tracking): heap, metaspace and class space, threads, compiled code, the garbage collector, and
 * "Other", where the direct buffers of Netty and the Kafka clients live. Measured idle with the roster loaded, then
 * after joins at a fixed concurrency with stream clients listening and {@code GET /coalition} polled, with the peak
 * resident set of the whole run. Run it with {@code benchmarks/footprint.sh}; {@code SERVICE_JAVA_OPTIONS} tries other
 * JVM flags. Goals: 256 MiB idle, 384 MiB under load.
 */
public final class Footprint {

    private static final Pattern CATEGORY = Pattern
            .compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private Footprint() {
    }

    public static void main(String[] args) throws Exception {
        Duration idle = Duration.ofSeconds(Long.getLong("idle-seconds", 30));
        Duration load = Duration.ofSeconds(Long.getLong("load-seconds", 60));
        int concurrency = Integer.getInteger("concurrency", 16);
        int clients = Integer.getInteger("clients", 1000);
        // Native Memory Tracking costs a little memory of its own (a few MiB): the resident sets are a little high.
        String options = System.getProperty("service-java-options", "");
        try (LocalCoalition coalition = LocalCoalition
                .start(Map.of("JAVA_TOOL_OPTIONS", ("-XX:NativeMemoryTracking=summary " + options).trim()))) {
            if (!options.isBlank()) {
                System.out.println("The services' JVMs also run with: " + options);
            }
            Map<String, Duration> cpuBefore = new LinkedHashMap<>();
            coalition.services().forEach(service -> cpuBefore.put(service.name(), CpuTime.of(service.pid())));
            TimeUnit.MILLISECONDS.sleep(idle.toMillis());
            report("Idle with the roster, " + idle.toSeconds() + " s after it was loaded", coalition, false);
            System.out.print("CPU while idle, % of one core:");
            coalition.services().forEach(service -> System.out.printf("  %s %.1f", service.name(),
                    100.0 * CpuTime.of(service.pid()).minus(cpuBefore.get(service.name())).toNanos() / idle.toNanos()));
            System.out.println();

            Load.Result joins;
            Load.Result reads;
            try (StreamListeners listeners = new StreamListeners(
                    URI.create(coalition.reporting.baseUri() + "/coalition/stream"), clients, 2,
                    (client, count, at) -> {
                    })) {
                CompletableFuture<Load.Result> polled = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Load.measure(concurrency, load, () -> () -> LocalCoalition.HTTP.send(
                                HttpRequest.newBuilder(URI.create(coalition.reporting.baseUri() + "/coalition")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
                    } catch (Exception failed) {
                        throw new IllegalStateException(failed);
                    }
                });
                joins = Load.measure(concurrency, load, JoinThroughput.joiner(coalition.membership, coalition.token));
                reads = polled.join();
            }
            report("After " + load.toSeconds() + " s of joins (" + concurrency + " at a time, " + Math.round(
                    joins.perSecond()) + "/s) with " + clients + " stream clients and GET /coalition polled ("
                    + concurrency + " at a time, " + Math.round(reads.perSecond()) + "/s)", coalition, true);
            System.out.println("Goals: at most 256 MiB resident idle, 384 MiB under load.");
        }
    }

    static void report(String when, LocalCoalition coalition, boolean withPeak) throws Exception {
        Map<String, Map<String, Long>> byService = new LinkedHashMap<>();
        for (ServiceProcess service : coalition.services()) {
            Map<String, Long> memory = new LinkedHashMap<>();
            memory.put("resident (VmRSS)", residentMiB(service.pid(), "VmRSS"));
            if (withPeak) {
                memory.put("peak resident (VmHWM)", residentMiB(service.pid(), "VmHWM"));
            }
            memory.putAll(nativeMemory(service.pid()));
            byService.put(service.name(), memory);
        }
        System.out.printf("%n%s, MiB:%n%-28s", when, "");
        byService.keySet().forEach(service -> System.out.printf("%20s", service));
        System.out.println();
        // Every category that holds a MiB in some service, in the order NMT gives them.
        Set<String> rows = new LinkedHashSet<>();
        byService.values().forEach(memory -> memory.forEach((row, mib) -> {
            if (mib > 0) {
                rows.add(row);
            }
        }));
        rows.forEach(row -> {
            System.out.printf("%-28s", row);
            byService.values().forEach(memory -> System.out.printf("%20s", memory.getOrDefault(row, 0L)));
            System.out.println();
        });
    }

    /** The JVM's committed memory by category, from {@code jcmd <pid> VM.native_memory summary}. */
    private static Map<String, Long> nativeMemory(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String summary = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        Map<String, Long> committed = new LinkedHashMap<>();
        for (String line : summary.lines().map(String::trim).toList()) {
            Matcher total = TOTAL.matcher(line);
            if (total.find()) {
                committed.put("JVM committed (NMT total)", Long.parseLong(total.group(2)) / 1024);
            }
            Matcher category = CATEGORY.matcher(line);
            if (category.find()) {
                committed.put(category.group(1), Long.parseLong(category.group(3)) / 1024);
            }
        }
        if (committed.isEmpty()) {
            throw new IllegalStateException("jcmd gave no native memory summary for " + pid + ": " + summary);
        }
        return committed;
    }

    /** A line of /proc/{pid}/status in MiB: VmRSS (resident now, what the pod's limit counts) or VmHWM (its peak). */
    static long residentMiB(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024).findFirst().orElse(0);
    }
}
