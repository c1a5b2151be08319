package org.coalitiontracker.metrics.totals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.RecordsInHand;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * How long the oldest record taken in from {@code cluster-events} has waited to be applied (zero when every record
 * taken in is applied), and why, if a retry is under way: what an operator needs to see a stall. A batch that keeps
 * failing (the database is away, a lock is held) is retried for as long as it takes; this makes the wait visible on
 * the gauge {@code cluster_events_oldest_unapplied_age_seconds} and the health check ({@link TallyStallCheck}).
 * Created at start, so that the gauge reads 0 rather than nothing before the first batch.
 */
@Startup
@ApplicationScoped
public class TallyProgress implements RecordsInHand {

    /** When the oldest record not yet applied was taken in ({@link System#nanoTime()}), or 0 if none waits. */
    private final AtomicLong oldestTakenIn = new AtomicLong();
    private volatile String lastFailure;

    TallyProgress(MeterRegistry registry) {
        Gauge.builder("cluster.events.oldest.unapplied.age", this, progress -> progress.oldestUnappliedAge()
                .toMillis() / 1000.0)
                .description("How long the oldest record taken in from cluster-events has waited to be applied; 0 when "
                        + "all are applied")
                .baseUnit("seconds").register(registry);
    }

    /** A batch starts: its first record was taken in at {@code takenIn}. */
    void applying(long takenIn) {
        oldestTakenIn.set(takenIn == 0 ? System.nanoTime() : takenIn);
    }

    /** An attempt failed and is retried. */
    void retrying(Throwable failure) {
        lastFailure = failure.toString();
    }

    /** Every record taken in so far is applied or dead-lettered. */
    void caughtUp() {
        oldestTakenIn.set(0);
        lastFailure = null;
    }

    @Override
    public boolean any() {
        return oldestTakenIn.get() != 0;
    }

    public Duration oldestUnappliedAge() {
        long since = oldestTakenIn.get();
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Why the batch under way has not been applied yet, or null. */
    public String lastFailure() {
        return lastFailure;
    }
}
