package org.coalitiontracker.metrics.totals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.Rfc3339;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * How long events take from their change (ce_time) to being applied to the totals: the first leg of the 200 ms from a
 * join to the operator's screen, as a histogram. An event that happened before this instance started is a replay (a
 * rebuild, a restart catching up), not the system's delay, and is left out; so is one that cannot be read as a time.
 */
// Created at start-up, not at first use: the changes before its first use count too.
@Startup
@ApplicationScoped
public class AppliedDelay {

    /** The goal from a join to the operator's screen; the histogram has a bucket edge at it. */
    static final Duration GOAL = Duration.ofMillis(200);

    private final Instant started = Instant.now();
    private final Timer timer;

    AppliedDelay(MeterRegistry registry) {
        this.timer = Timer.builder("cluster.events.applied.delay")
                .description("Time from a change (its event's ce_time) to the event applied to the totals")
                .publishPercentileHistogram().serviceLevelObjectives(GOAL)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** Records the events just applied, by their ce_time as written. */
    void applied(List<String> eventTimes) {
        Instant now = Instant.now();
        for (String text : eventTimes) {
            Instant at = Rfc3339.instant(text);
            if (at != null && !at.isBefore(started) && !at.isAfter(now)) {
                timer.record(Duration.between(at, now));
            }
        }
    }
}
