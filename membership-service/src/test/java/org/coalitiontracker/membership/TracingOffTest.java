package org.coalitiontracker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coalitiontracker.membership.ClusterEventsTopic.header;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;

/**
 * Tracing off, as the services run by default: no trace is made for nobody. Quarkus still builds an SDK then that
 * samples every span, so this holds only because the services' tracer (TracerFollowsTheSdk) and the connector's
 * tracing (TracingFollowsTheSdk) follow the switch. The other tests run with tracing on and see the traces.
 */
@QuarkusTest
@TestProfile(TracingOffTest.Off.class)
@TestSecurity(user = "test-publisher", roles = "publisher")
class TracingOffTest extends WatchesClusterEvents {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "true");
        }
    }

    @Inject
    DataSource database;

    @Test
    void aJoinStoresNoTraceAndItsRecordCarriesNone() throws SQLException {
        String clusterId = join("Untraced Cluster");

        ConsumerRecord<String, String> record = clusterEvents.awaitEventsFor(clusterId, 1).get(0);
        assertThat(header(record, "ce_type")).isEqualTo("org.coalitiontracker.ClusterJoined.v1");
        assertThat(header(record, "traceparent")).isNull();
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*), count(trace_parent) FROM outbox_event WHERE cluster_id = cast(? AS uuid)")) {
            query.setString(1, clusterId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).as("the join's outbox rows").isEqualTo(1);
                assertThat(row.getLong(2)).as("of them with a traceparent").isZero();
            }
        }
    }
}
