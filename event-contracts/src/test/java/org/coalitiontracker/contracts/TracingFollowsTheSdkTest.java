package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class TracingFollowsTheSdkTest {

    /** The services' own setting: off unless OTEL_SDK_DISABLED says otherwise. */
    private static final String SERVICES_SETTING = "${OTEL_SDK_DISABLED:true}";

    @Test
    void theConnectorTracesOnlyWhileTheSdkIsOn() {
        assertThat(connectorTracing(Map.of(TracingFollowsTheSdk.SDK_DISABLED, SERVICES_SETTING))).isFalse();
        assertThat(connectorTracing(Map.of(TracingFollowsTheSdk.SDK_DISABLED, SERVICES_SETTING,
                "OTEL_SDK_DISABLED", "false"))).isTrue();
        assertThat(connectorTracing(Map.of(TracingFollowsTheSdk.SDK_DISABLED, "false"))).isTrue();
        assertThat(connectorTracing(Map.of())).isTrue();
        for (String off : new String[] { "1", "YES", "on", "y" }) {
            assertThat(connectorTracing(Map.of(TracingFollowsTheSdk.SDK_DISABLED, off))).as(off).isFalse();
        }
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(connectorTracing(Map.of(TracingFollowsTheSdk.SDK_DISABLED, "true",
                TracingFollowsTheSdk.CONNECTOR_TRACING, "true"))).isTrue();
        assertThat(connectorTracing(Map.of(TracingFollowsTheSdk.SDK_DISABLED, "false",
                TracingFollowsTheSdk.CONNECTOR_TRACING, "false"))).isFalse();
    }

    private static boolean connectorTracing(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getValue(TracingFollowsTheSdk.CONNECTOR_TRACING, Boolean.class);
    }
}
