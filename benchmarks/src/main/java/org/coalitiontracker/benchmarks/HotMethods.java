package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service's CPU went, from a Java Flight Recording: the methods most often on top of the stack, the share of
 * samples that pass through each library (a sample counts once per library on its stack), and the time the JIT
 * compilers spent. Recorded from the JVM's start, always: a recorder started later makes the JIT compile again.
 */
final class HotMethods {

    private static final String FLIGHT = "flight";

    private HotMethods() {
    }

    /** A flight recording from the JVM's start to its end, the sampling of JFR's profile settings. */
    static Map<String, String> recordFromStart(Path directory, String service) throws IOException {
        Files.createDirectories(directory);
        return Map.of("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename="
                + directory.resolve(service + ".jfr"));
    }

    /**
     * A flight recording from the JVM's start, named {@link #FLIGHT} and kept until {@link #dump} writes it: a phase of
     * a service that has been up a while is then read from it by time. Starting JFR later, with {@code jcmd JFR.start},
     * made metrics-service compile again for most of a backlog's intake (36 compilations, 19.5 s), and the backlog went in
     * at a third (the totals) to a half (the directory) of its rate.
     */
    static Map<String, String> recordUntilDumped(String otherOptions) {
        return Map.of("JAVA_TOOL_OPTIONS", (otherOptions + " -XX:StartFlightRecording=settings=profile,name=" + FLIGHT)
                .strip());
    }

    /** Writes what the running service has recorded so far ({@link #recordUntilDumped}) to {@code file}. */
    static void dump(long pid, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "JFR.dump", "name=" + FLIGHT, "filename=" + file).redirectErrorStream(true)
                .start();
        String said = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0 || !Files.exists(file)) {
            throw new IllegalStateException("jcmd " + pid + " JFR.dump failed: " + said);
        }
    }

    static void print(String service, Path recording, int top) throws IOException {
        print(service, recording, top, Instant.MIN);
    }

    /** As {@link #print(String, Path, int)}, of what happened from {@code from} on. */
    static void print(String service, Path recording, int top, Instant from) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        Duration compiling = Duration.ZERO;
        int compilations = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getStartTime().isBefore(from)) {
                continue;
            }
            String type = event.getEventType().getName();
            if (type.equals("jdk.Compilation")) {
                compiling = compiling.plus(event.getDuration());
                compilations++;
            } else if (type.equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> libraries = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    libraries.add(library(frame));
                }
                libraries.forEach(library -> inclusive.merge(library, 1, Integer::sum));
            }
        }
        System.out.printf("%n%s: %,d execution samples; JIT: %,d compilations, %.1f s compiling (%s)%n", service, samples,
                compilations, compiling.toMillis() / 1000.0, recording);
        System.out.println("  top of the stack:");
        printTop(self, samples, top);
        System.out.println("  on the stack, by library:");
        printTop(inclusive, samples, top);
    }

    private static void printTop(Map<String, Integer> counts, int samples, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer> comparingByValue().reversed()).limit(top)
                .forEach(entry -> System.out.printf("  %5.1f%%  %s%n", 100.0 * entry.getValue() / samples,
                        entry.getKey()));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** The first three parts of the frame's package: io.vertx.pgclient, org.hibernate.reactive, java.util.regex. */
    private static String library(RecordedFrame frame) {
        String[] parts = frame.getMethod().getType().getName().split("\\.");
        return String.join(".", List.of(parts).subList(0, Math.min(3, parts.length - 1)));
    }
}
