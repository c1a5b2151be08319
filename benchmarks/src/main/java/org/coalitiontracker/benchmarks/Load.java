package org.coalitiontracker.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Closed-loop load: a number of threads each doing one unit of work after another, timed. */
final class Load {

    private Load() {
    }

    /** One thread's share of the load: {@link #run()} does one unit of work and says whether it was accepted. */
    interface Worker extends AutoCloseable {
        boolean run() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    record Result(long accepted, long refused, double perSecond, double p50, double p99) {
    }

    static Result measure(int concurrency, Duration duration, Callable<Worker> newWorker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            results.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                long refused = 0;
                try (Worker worker = newWorker.call()) {
                    while (System.nanoTime() < end) {
                        long before = System.nanoTime();
                        if (worker.run()) {
                            latencies.add(System.nanoTime() - before);
                        } else {
                            refused++;
                        }
                    }
                }
                latencies.add(0, refused);
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }));
        }
        List<Long> latencies = new ArrayList<>();
        long refused = 0;
        try {
            for (Future<long[]> result : results) {
                long[] values = result.get();
                refused += values[0];
                for (int i = 1; i < values.length; i++) {
                    latencies.add(values[i]);
                }
            }
        } finally {
            // A worker that failed must not leave the others running: their threads would keep the harness alive.
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        latencies.sort(null);
        return new Result(latencies.size(), refused, latencies.size() / seconds, percentile(latencies, 0.50),
                percentile(latencies, 0.99));
    }

    /**
     * Runs 10-second windows until the JIT has compiled what the work runs, printing each window's rate: a fresh JVM
     * on 2 cores takes minutes of steady load to get there, and a figure taken earlier times the compiler. At least
     * {@code minWindows}, then until the rate has risen by less than 5% twice in a row (at most 24 windows).
     */
    static void warmUp(String what, int concurrency, int minWindows, Callable<Worker> newWorker) throws Exception {
        System.out.printf("Warming up %s (per second, 10 s windows):", what);
        double best = 0;
        int flat = 0;
        for (int window = 0; window < 24 && (window < minWindows || flat < 2); window++) {
            double rate = measure(concurrency, Duration.ofSeconds(10), newWorker).perSecond();
            System.out.printf(" %.0f", rate);
            flat = rate < best * 1.05 ? flat + 1 : 0;
            best = Math.max(best, rate);
        }
        System.out.println();
    }

    static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, p * sorted.size())) / 1e6;
    }

}
