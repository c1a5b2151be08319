package org.coalitiontracker.reporting.coalition;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;

/**
 * DOWN while the coalition totals are stale ({@link Freshness}). Wellness (in {@code /q/health}), not readiness:
 * this replica still serves the newest totals it has, and restarting or unlisting it would not freshen them.
 */
@Wellness
@ApplicationScoped
public class FreshnessCheck implements HealthCheck {

    private final Freshness freshness;

    FreshnessCheck(Freshness freshness) {
        this.freshness = freshness;
    }

    @Override
    public HealthCheckResponse call() {
        Freshness.Report report = freshness.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("coalition totals fresh")
                .status(!report.stale());
        for (int i = 0; i < report.reasons().size(); i++) {
            response.withData("reason" + (i + 1), report.reasons().get(i));
        }
        return response.build();
    }
}
