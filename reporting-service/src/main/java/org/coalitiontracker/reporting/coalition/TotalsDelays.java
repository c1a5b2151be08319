package org.coalitiontracker.reporting.coalition;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.TotalsChanged;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * How long a change takes from its event (ce_time, the totals' causedByEventAt) to the coalition's totals that
 * reflect it being served by this replica (GET /coalition answers from what {@link LiveTotals} has read) and pushed
 * to each live-stream client: the 200 ms goal from a join to the operator's screen, as histograms. Changes from
 * before this replica started are its catching up, not the system's delay, and are left out.
 */
// Created at start-up, not at first use: the changes before its first use count too.
@Startup
@ApplicationScoped
public class TotalsDelays {

    private final Instant started = Instant.now();
    private final Timer served;
    private final Timer pushed;

    TotalsDelays(MeterRegistry registry) {
        this.served = histogram("coalition.totals.served.delay",
                "Time from a change (its event's ce_time) to the coalition's totals served with it", registry);
        this.pushed = histogram("coalition.totals.pushed.delay",
                "Time from a change (its event's ce_time) to its totals pushed to a live-stream client", registry);
    }

    void served(TotalsChanged change) {
        record(served, change);
    }

    void pushed(TotalsChanged change) {
        record(pushed, change);
    }

    private void record(Timer timer, TotalsChanged change) {
        Instant at = change.causedByEventAt();
        if (!"coalition".equals(change.scope()) || at == null || at.isBefore(started)) {
            return;
        }
        Duration delay = Duration.between(at, Instant.now());
        if (!delay.isNegative()) {
            timer.record(delay);
        }
    }

    private static Timer histogram(String name, String description, MeterRegistry registry) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(200)).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }
}
