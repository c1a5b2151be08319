package org.coalitiontracker.contracts;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;

/**
 * The tracer of the services' own spans: OpenTelemetry's no-op tracer while the SDK is off
 * ({@code quarkus.otel.sdk.disabled}, the default), Quarkus' otherwise. Off, Quarkus still builds an SDK that records
 * and samples every span, only to drop it; its own tracer (a default bean, which this one replaces) would hand the
 * services spans that record, so they would read each record's traceparent and link it, for nobody. A no-op span
 * records nothing and carries its parent's context, so no new trace is stored either.
 */
@Singleton
public class TracerFollowsTheSdk {

    /** The name Quarkus gives its own tracer. */
    static final String INSTRUMENTATION = "io.quarkus.opentelemetry";

    @Produces
    @Singleton
    Tracer tracer(OpenTelemetry openTelemetry, @ConfigProperty(name = TracingFollowsTheSdk.SDK_DISABLED) boolean off) {
        return off ? TracerProvider.noop().get(INSTRUMENTATION) : openTelemetry.getTracer(INSTRUMENTATION);
    }
}
