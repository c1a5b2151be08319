package org.coalitiontracker.metrics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * metrics-service's own settings, read and checked at start. Each is set in application.properties from an
 * environment variable (README, "Settings").
 */
@ConfigMapping(prefix = "metrics")
public interface MetricsSettings {

    Stall stall();

    Reconciliation reconciliation();

    Retry retry();

    interface Stall {
        /** How long a record may wait to be applied before the totals count as stalled. */
        Duration threshold();
    }

    interface Reconciliation {
        /** How often the totals are compared with the roster; the scheduler reads it by its name. */
        Duration interval();
    }

    /** How a step that failed for a passing reason (the database or the broker away) is tried again. */
    interface Retry {
        /** The first wait; each next one doubles, up to {@link #maxBackOff()}. */
        @WithDefault("200ms")
        Duration firstBackOff();

        @WithDefault("10s")
        Duration maxBackOff();

        /** How long a rebalance waits for the database (to read the positions) before it fails. */
        @WithDefault("30s")
        Duration databaseWait();
    }
}
