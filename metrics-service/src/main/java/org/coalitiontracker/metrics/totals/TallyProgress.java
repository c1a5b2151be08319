package org.coalitiontracker.metrics.totals;

import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * How long the oldest record taken in from {@code cluster-events} has waited to be applied (zero when every record
 * taken in is applied), and why, if a retry is under way: what an operator needs to see a stall. A batch that keeps
 * failing (the database is away, a lock is held) is retried for as long as it takes; this makes the wait visible on
 * the gauge {@code cluster_events_oldest_unapplied_age_seconds} and the health check ({@link TallyStallCheck}).
 * Batches of different partitions are applied side by side, so each is followed on its own: one that is held up
 * shows however many others are applied meanwhile. Created at start, so that the gauge reads 0 rather than nothing
 * before the first batch.
 */
@Startup
@ApplicationScoped
public class TallyProgress {

    private final Set<Batch> underWay = ConcurrentHashMap.newKeySet();

    TallyProgress(MeterRegistry registry) {
        Gauge.builder("cluster.events.oldest.unapplied.age", this, progress -> progress.oldestUnappliedAge()
                .toMillis() / 1000.0)
                .description("How long the oldest record taken in from cluster-events has waited to be applied; 0 when "
                        + "all are applied")
                .baseUnit("seconds").register(registry);
    }

    /** One batch being applied, from its start to its end. */
    static final class Batch {
        /** When its first record was taken in ({@link System#nanoTime()}). */
        private final long takenIn;
        private volatile String lastFailure;

        private Batch(long takenIn) {
            this.takenIn = takenIn;
        }

        /** An attempt failed and is retried. */
        void retrying(Throwable failure) {
            lastFailure = failure.toString();
        }
    }

    /** A batch starts: its first record was taken in at {@code takenIn} (0: now). */
    Batch applying(long takenIn) {
        Batch batch = new Batch(takenIn == 0 ? System.nanoTime() : takenIn);
        underWay.add(batch);
        return batch;
    }

    /** The batch's records are all applied or dead-lettered. */
    void applied(Batch batch) {
        underWay.remove(batch);
    }

    public Duration oldestUnappliedAge() {
        return oldest().map(batch -> Duration.ofNanos(System.nanoTime() - batch.takenIn)).orElse(Duration.ZERO);
    }

    /** Why the oldest batch under way that has failed has not been applied yet, or null. */
    public String lastFailure() {
        return underWay.stream().filter(batch -> batch.lastFailure != null)
                .min(Comparator.comparingLong(batch -> batch.takenIn)).map(batch -> batch.lastFailure).orElse(null);
    }

    private Optional<Batch> oldest() {
        return underWay.stream().min(Comparator.comparingLong(batch -> batch.takenIn));
    }
}
