package org.coalitiontracker.membership;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * membership-service's own settings, read and checked at start. Each is set in application.properties from an
 * environment variable (README, "Configuration").
 */
@ConfigMapping(prefix = "membership")
public interface MembershipSettings {

    Outbox outbox();

    interface Outbox {
        /** How often the relay looks for unsent events, besides the round after each change; read by the scheduler. */
        Duration pollInterval();

        /** How often the backlog gauges are refreshed; read by the scheduler. */
        Duration metricsInterval();

        /**
         * The least time between the starts of two rounds after changes: a change after a quiet spell goes out at
         * once, and under a steady stream the changes committed meanwhile go out in one round, one transaction marking
         * them all sent instead of one per change.
         */
        @WithDefault("30ms")
        Duration linger();

        /** How many events a round sends together before it marks them sent. */
        @WithDefault("500")
        @Min(1)
        @Max(10_000)
        int batch();
    }
}
