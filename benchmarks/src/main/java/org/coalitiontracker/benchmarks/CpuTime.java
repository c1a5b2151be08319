package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used so far by the processes a request goes through on this machine: the service's JVM, every PostgreSQL
 * server process (its backends included) and the Kafka broker. Two readings around a round of load give each one's
 * share of the machine's two cores.
 */
record CpuTime(Map<String, Duration> byProcess) {

    static final String SERVICE = "service";
    static final String POSTGRES = "PostgreSQL";
    static final String KAFKA = "Kafka";

    static CpuTime now(long servicePid, long brokerPid) {
        Map<String, Duration> byProcess = new LinkedHashMap<>();
        byProcess.put(SERVICE, of(servicePid));
        byProcess.put(POSTGRES, postgres());
        byProcess.put(KAFKA, of(brokerPid));
        return new CpuTime(byProcess);
    }

    /** Milliseconds of CPU each process used since {@code before}, per unit of work done in between. */
    Map<String, Double> perUnitSince(CpuTime before, long units) {
        Map<String, Double> perUnit = new LinkedHashMap<>();
        byProcess.forEach((process, used) -> perUnit.put(process,
                used.minus(before.byProcess.get(process)).toNanos() / 1e6 / Math.max(1, units)));
        return perUnit;
    }

    /**
     * Every PostgreSQL server process's CPU time so far, those that ended included: a backend that ends takes its own
     * with it, and the server's first process, its parent, counts it as its children's.
     */
    private static Duration postgres() {
        List<ProcessHandle> servers = ProcessHandle.allProcesses().filter(CpuTime::isPostgres).toList();
        Duration live = servers.stream().map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
        return servers.stream().filter(process -> process.parent().filter(CpuTime::isPostgres).isEmpty())
                .map(CpuTime::endedChildren).reduce(live, Duration::plus);
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().orElse("").endsWith("/postgres");
    }

    /** The CPU time of a process's children that ended and were waited for: /proc's cutime and cstime. */
    private static Duration endedChildren(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return Duration.ofMillis((field(stat, 13) + field(stat, 14)) * 1000 / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException unreadable) {
            return Duration.ZERO;
        }
    }

    /** A thread's CPU time so far in clock ticks, from its /proc stat: utime and stime. */
    private static long ticks(String stat) {
        return field(stat, 11) + field(stat, 12);
    }

    /** A numbered field of a /proc stat line (from 0, the state, after the command's closing parenthesis). */
    private static long field(String stat, int index) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index]);
    }

    /** The kernel's clock ticks per second, in which /proc counts CPU time (USER_HZ: 100 on Linux's common builds). */
    private static final long TICKS_PER_SECOND = 100;

    /** The CPU time one process has used so far. */
    static Duration of(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /**
     * The CPU time a JVM's JIT compiler threads have used so far: what of its CPU went to compiling rather than to the
     * work, which a run that is timed as the service runs for days should find near zero. A compiler thread that the
     * JVM stops takes its time with it; on two cores there is one of each kind, and those are never stopped.
     */
    static Duration compiling(long pid) {
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return Duration.ofMillis(threads.mapToLong(CpuTime::compilerTicks).sum() * 1000 / TICKS_PER_SECOND);
        } catch (IOException | UncheckedIOException gone) {
            return Duration.ZERO;
        }
    }

    private static long compilerTicks(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                return 0;
            }
            return ticks(Files.readString(thread.resolve("stat")));
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
