package org.coalitiontracker.reporting.coalition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.coalitiontracker.reporting.coalition.StreamClients.next;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A client that only reads the stream learns that stale totals turned fresh as they move (they are catching up), not
 * at the next check or keep-alive: both are an hour apart here, and the test runs the checks it needs itself.
 */
@QuarkusTest
@TestProfile(StreamFreshnessTest.RareHeartbeats.class)
class StreamFreshnessTest extends FedByTotalsTopic {

    public static class RareHeartbeats implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reporting.freshness.interval", "1h", "reporting.stream.keep-alive", "1h");
        }
    }

    @TestHTTPResource("/coalition/stream")
    URL stream;

    @Inject
    Freshness freshness;

    @Test
    void aStreamClientIsToldAtOnceThatTotalsWhichMoveAreNoLongerStale() throws Exception {
        try (StreamClients clients = new StreamClients(stream)) {
            BlockingQueue<String> lines = clients.open(null);
            // Totals far from what the directory holds, standing still: as if metrics-service had stalled on them.
            ObjectNode stalled = coalition(987_654);
            topic.publish(stalled);
            assertThat(next(lines, line -> line.contains(stalled.get("causedByEventId").asText()))).isNotNull();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
                freshness.check().await().indefinitely();
                return freshness.current().stale();
            });
            assertThat(next(lines, StreamFreshnessTest::heartbeat)).contains("\"stale\":true");

            ObjectNode moved = coalition(987_655);
            topic.publish(moved);
            // Both are told of the same change, in the order their listeners were registered (which depends on which
            // bean the service made first): the heartbeat may come just before the totals or just after them.
            String movedId = moved.get("causedByEventId").asText();
            String heartbeat = null;
            boolean movedSeen = false;
            while (heartbeat == null || !movedSeen) {
                String line = next(lines, received -> received.contains(movedId) || heartbeat(received));
                assertThat(line).as("the totals that moved and a heartbeat, before the next check").isNotNull();
                if (line.contains(movedId)) {
                    movedSeen = true;
                } else {
                    heartbeat = line;
                }
            }
            assertThat(heartbeat).contains("\"stale\":false");
        }
    }

    private ObjectNode coalition(long clusters) {
        return topic.totals("coalition", TotalsTopic.nextVersion(), UUID.randomUUID().toString(), clusters, 16,
                "832.000", 4300000, "492.000");
    }

    private static boolean heartbeat(String line) {
        return line.startsWith("data:") && line.contains("\"stale\":");
    }
}
