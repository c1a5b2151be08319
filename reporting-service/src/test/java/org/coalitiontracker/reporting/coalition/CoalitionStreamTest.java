package org.coalitiontracker.reporting.coalition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coalitiontracker.reporting.coalition.StreamClients.next;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import org.coalitiontracker.reporting.ScrapedMetric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** {@code GET /coalition/stream} as a browser's EventSource sees it, line by line. */
@QuarkusTest
class CoalitionStreamTest extends FedByTotalsTopic {

    @TestHTTPResource("/coalition/stream")
    URL stream;

    private StreamClients clients;

    @BeforeEach
    void connectTheClients() {
        clients = new StreamClients(stream);
    }

    @AfterEach
    void closeTheConnections() {
        clients.close();
    }

    @Test
    void aClientGetsTheCurrentTotalsOnConnectThenEveryChangeAndHeartbeats() throws Exception {
        long before = TotalsTopic.nextVersion();
        topic.awaitProcessed(topic.publish(topic.totals("coalition", before, UUID.randomUUID().toString(), 33, 16,
                "832.000", 4300000, "492.000")), groupId);

        BlockingQueue<String> lines = clients.open(null);
        assertThat(next(lines, line -> line.equals("id:" + before) || line.equals("id: " + before))).isNotNull();

        // A change whose event happened a second ago: its delay lands in the served and pushed histograms.
        double servedBefore = ScrapedMetric.value("coalition_totals_served_delay_seconds_count");
        double pushedBefore = ScrapedMetric.value("coalition_totals_pushed_delay_seconds_count");
        double pushedSumBefore = ScrapedMetric.value("coalition_totals_pushed_delay_seconds_sum");
        long after = TotalsTopic.nextVersion();
        String eventId = UUID.randomUUID().toString();
        topic.publish(topic.totals("coalition", after, eventId, 34, 16, "847.846", 4369231, "502.000")
                .put("causedByEventAt", Instant.now().minusSeconds(1).toString()));
        assertThat(next(lines, line -> line.contains(eventId))).contains("\"clusters\":34");
        assertThat(ScrapedMetric.value("coalition_totals_served_delay_seconds_count")).isGreaterThan(servedBefore);
        assertThat(ScrapedMetric.value("coalition_totals_pushed_delay_seconds_count")).isGreaterThan(pushedBefore);
        assertThat(ScrapedMetric.value("coalition_totals_pushed_delay_seconds_sum") - pushedSumBefore)
                .isGreaterThanOrEqualTo(1);
        assertThat(next(lines, line -> line.matches("event: ?heartbeat"))).as("a heartbeat").isNotNull();
        assertThat(next(lines, line -> line.startsWith("data:"))).as("the heartbeat's freshness")
                .contains("\"stale\":");
    }

    @Test
    void aReconnectingClientGetsWhatChangedSinceItsLastEventIdAndNothingOlder() throws Exception {
        long older = TotalsTopic.nextVersion();
        String olderEvent = UUID.randomUUID().toString();
        topic.publish(topic.totals("sector:CEMENT", older, olderEvent, 2, 2, "10.000", 1000, "1.000"));
        long newer = TotalsTopic.nextVersion();
        String newerEvent = UUID.randomUUID().toString();
        topic.awaitProcessed(topic.publish(topic.totals("sector:STEEL", newer, newerEvent, 5, 3, "50.000", 5000,
                "5.000")), groupId);

        BlockingQueue<String> lines = clients.open(String.valueOf(older));
        String first = next(lines, line -> line.startsWith("data") && line.contains("\"scope\""));
        assertThat(first).contains(newerEvent).doesNotContain(olderEvent);
    }

    @Test
    void eachOfManyClientsGetsEveryChangeFromWhereItStands() throws Exception {
        long first = TotalsTopic.nextVersion();
        String firstEvent = UUID.randomUUID().toString();
        topic.awaitProcessed(topic.publish(topic.totals("sector:HYDROGEN", first, firstEvent, 3, 2, "12.000", 1200,
                "1.200")), groupId);
        List<BlockingQueue<String>> fresh = new ArrayList<>();
        List<BlockingQueue<String>> caughtUp = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fresh.add(clients.open(null));
            caughtUp.add(clients.open(String.valueOf(first)));
        }
        for (BlockingQueue<String> lines : fresh) {
            assertThat(next(lines, line -> line.contains(firstEvent))).as("the totals on connect").isNotNull();
        }

        // Two changes in turn, which the clients are sent in one write or two.
        String secondEvent = UUID.randomUUID().toString();
        topic.publish(topic.totals("sector:CHEMICALS", TotalsTopic.nextVersion(), secondEvent, 4, 3, "20.000", 2000,
                "2.000"));
        String thirdEvent = UUID.randomUUID().toString();
        topic.publish(topic.totals("sector:HYDROGEN", TotalsTopic.nextVersion(), thirdEvent, 4, 3, "13.000", 1300,
                "1.300"));
        for (BlockingQueue<String> lines : caughtUp) {
            assertThat(next(lines, line -> line.contains(firstEvent) || line.contains(secondEvent)))
                    .as("a client that had the first change").contains(secondEvent);
            assertThat(next(lines, line -> line.contains(thirdEvent))).isNotNull();
        }
        for (BlockingQueue<String> lines : fresh) {
            assertThat(next(lines, line -> line.contains(secondEvent))).isNotNull();
            assertThat(next(lines, line -> line.contains(thirdEvent))).isNotNull();
        }
    }

    /**
     * Totals are keyed by scope, so a join's scopes travel on several partitions, and a poll may bring a scope's change
     * after a newer version of another: the client that was sent the newer one still gets it.
     */
    @Test
    void aChangeReadAfterANewerVersionOfAnotherScopeStillReachesTheClients() throws Exception {
        long older = TotalsTopic.nextVersion();
        long newer = TotalsTopic.nextVersion();
        BlockingQueue<String> lines = clients.open(null);
        assertThat(next(lines, line -> line.startsWith(": "))).as("the stream's opening comment").isNotNull();

        String newerEvent = UUID.randomUUID().toString();
        topic.publish(topic.totals("country:SE", newer, newerEvent, 2, 1, "9.000", 900, "0.900"));
        assertThat(next(lines, line -> line.contains(newerEvent))).isNotNull();
        String olderEvent = UUID.randomUUID().toString();
        topic.publish(topic.totals("country:NL", older, olderEvent, 4, 1, "30.000", 3000, "3.000"));
        assertThat(next(lines, line -> line.contains(olderEvent))).as("the older version, read later").isNotNull();
    }

    @Test
    void anotherMethodIsRefusedAsTheOtherResourcesRefuseIt() {
        RestAssured.given().body("{}").when().post("/coalition/stream")
                .then().statusCode(405).header("Allow", "GET").contentType("application/problem+json")
                .body("status", equalTo(405));
    }
}
