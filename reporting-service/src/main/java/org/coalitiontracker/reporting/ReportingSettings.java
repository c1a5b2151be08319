package org.coalitiontracker.reporting;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * reporting-service's own settings, read and checked at start. Each is set in application.properties from an
 * environment variable (README, "Settings").
 */
@ConfigMapping(prefix = "reporting")
public interface ReportingSettings {

    Stream stream();

    Freshness freshness();

    Retry retry();

    interface Stream {
        /** How often the live stream sends a heartbeat with the totals' freshness; the scheduler reads it by its name. */
        Duration keepAlive();
    }

    interface Freshness {
        /**
         * How long the totals may differ from the directory or the roster without moving, or a write of the views may
         * wait, before they are stale.
         */
        Duration staleThreshold();

        /**
         * How long the timeline may wait for the directory's replay (V13) before the totals are stale: far longer than
         * a replay of the whole roster takes.
         */
        Duration timelineWaitLimit();

        /**
         * How often that is checked (the scheduler reads it by its name), and how long a check waits for a lock held
         * on the timeline before it gives up its read.
         */
        Duration interval();
    }

    /** How a write that failed for a passing reason (the database away) is tried again. */
    interface Retry {
        /** The first wait; each next one doubles, up to {@link #maxBackOff()}. */
        @WithDefault("200ms")
        Duration firstBackOff();

        @WithDefault("10s")
        Duration maxBackOff();

        /** How long start-up and a rebalance wait for the database before they fail. */
        @WithDefault("30s")
        Duration databaseWait();
    }
}
