package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service's CPU went, from a Java Flight Recording made from its start (a profiler attached later would see
 * code deoptimized by the attach): the methods most often on top of the stack, the share of samples that pass through
 * each library (a sample counts once per library on its stack), and the time the JIT compilers spent.
 */
final class HotMethods {

    private HotMethods() {
    }

    /** A flight recording from the JVM's start to its end, the sampling of JFR's profile settings. */
    static Map<String, String> recordFromStart(Path directory, String service) throws IOException {
        Files.createDirectories(directory);
        return Map.of("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename="
                + directory.resolve(service + ".jfr"));
    }

    static void print(String service, Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        Duration compiling = Duration.ZERO;
        int compilations = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
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
