package org.coalitiontracker.metrics.totals;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.metrics.MetricsSettings;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;

/**
 * DOWN when a record of {@code cluster-events} has waited longer than {@code METRICS_STALL_THRESHOLD} to be applied:
 * the totals are stalled. A wellness check (in {@code /q/health} and {@code /q/health/well}), not liveness or
 * readiness: restarting the pod would not bring the database back or release a lock, and taking it out of service
 * (or holding up a rollout, which waits for readiness) would not either; an alert on it brings a person who can.
 */
@Wellness
@ApplicationScoped
public class TallyStallCheck implements HealthCheck {

    private final TallyProgress progress;
    private final Duration threshold;

    TallyStallCheck(TallyProgress progress, MetricsSettings settings) {
        this.progress = progress;
        this.threshold = settings.stall().threshold();
    }

    @Override
    public HealthCheckResponse call() {
        Duration age = progress.oldestUnappliedAge();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cluster-events applied")
                .status(age.compareTo(threshold) <= 0)
                .withData("oldestUnappliedAgeSeconds", age.toSeconds())
                .withData("thresholdSeconds", threshold.toSeconds());
        String failure = progress.lastFailure();
        return (failure == null ? response : response.withData("lastFailure", failure)).build();
    }
}
