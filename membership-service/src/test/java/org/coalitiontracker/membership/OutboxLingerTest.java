package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;

/**
 * The relay's linger spaces its rounds, it does not delay a lone join: a join after a quiet spell reaches Kafka at
 * once, and the one right after it waits for the linger since that round started. The linger is long here, and the
 * poll runs only once, at the start, so that the two cannot be confused.
 */
@QuarkusTest
@TestProfile(OutboxLingerTest.LongLinger.class)
@TestSecurity(user = "test-publisher", roles = "publisher")
class OutboxLingerTest extends WatchesClusterEvents {

    private static final Duration LINGER = Duration.ofSeconds(6);

    public static class LongLinger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("membership.outbox.linger", LINGER.toMillis() + "ms", "membership.outbox.poll-interval",
                    "1h");
        }
    }

    @Test
    void aJoinAfterAQuietSpellGoesOutAtOnceAndTheNextWaitsForTheLinger() {
        // Quiet for longer than the linger since the poll's round at the start.
        await().pollDelay(LINGER.plusSeconds(1)).atMost(Duration.ofSeconds(30)).until(this::nothingPending);

        String first = join("Prompt Cluster");
        await().atMost(LINGER.dividedBy(2)).until(() -> clusterEvents.eventsFor(List.of(first)).size() == 1);

        String second = join("Lingering Cluster");
        await().during(LINGER.dividedBy(3)).atMost(LINGER.dividedBy(2))
                .until(() -> clusterEvents.eventsFor(List.of(second)).isEmpty());
        assertThat(clusterEvents.awaitEventsFor(second, 1)).hasSize(1);
    }

    private boolean nothingPending() {
        return given().when().get("/q/metrics").then().extract().asString().contains("outbox_pending 0.0");
    }

}
