package org.coalitiontracker.contracts;

import org.eclipse.microprofile.config.spi.Converter;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Converters;

/**
 * Tracing off means no span at all, also of the records a service sends: the Kafka connector traces its channels
 * ({@code tracing-enabled}) only while the OpenTelemetry SDK is on ({@code quarkus.otel.sdk.disabled=false}). Off,
 * Quarkus still builds an SDK that records and samples every span, only to drop it, and SmallRye's tracing of each
 * record sent took 5 % of metrics-service's CPU. A channel's own {@code tracing-enabled} still wins.
 */
public class TracingFollowsTheSdk implements ConfigSourceInterceptor {

    static final String CONNECTOR_TRACING = "mp.messaging.connector.smallrye-kafka.tracing-enabled";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    private static final Converter<Boolean> SDK_SWITCH = Converters.getImplicitConverter(Boolean.class);

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !CONNECTOR_TRACING.equals(name)) {
            return value;
        }
        ConfigValue disabled = context.proceed(SDK_DISABLED);
        // Read as Quarkus reads it: "1", "yes", "on" and "y" are true too.
        boolean tracingOff = disabled != null && Boolean.TRUE.equals(SDK_SWITCH.convert(disabled.getValue()));
        return ConfigValue.builder().withName(name).withValue(String.valueOf(!tracingOff)).build();
    }
}
