package org.coalitiontracker.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
        byProcess.put(POSTGRES, ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("/postgres"))
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus));
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

    /** The CPU time one process has used so far. */
    static Duration of(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).orElse(Duration.ZERO);
    }
}
