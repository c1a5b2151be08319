package org.coalitiontracker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.restassured.path.json.JsonPath;

/**
 * The acceptance check against published figures: the shared roster, imported through membership-service in its
 * joining order and once more shuffled, gives in reporting-service's {@code GET /coalition?asOf=D} exactly the
 * totals the initiative published for every date D (counts on all of them, figures where they were published).
 */
class PublishedFiguresTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "in joining order", "shuffled" })
    void theRosterReplayedGivesThePublishedTotalsOnEveryPublishedDate(String order) throws Exception {
        List<String> roster = CoalitionSystem.roster();
        List<String> rows = new ArrayList<>(roster.subList(1, roster.size()));
        if (order.equals("shuffled")) {
            long seed = System.nanoTime();
            System.out.println("Shuffled with seed " + seed);
            Collections.shuffle(rows, new Random(seed));
        }
        List<String> replay = new ArrayList<>(List.of(roster.get(0)));
        replay.addAll(rows);

        try (CoalitionSystem system = CoalitionSystem.start(order.equals("shuffled") ? "e2e_shuffled" : "e2e_ordered")) {
            system.importRoster(replay);
            List<String> published = CoalitionSystem.publishedAggregates();
            for (String line : published.subList(1, published.size())) {
                String[] row = line.split(",");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    JsonPath asOf = system.coalition("?asOf=" + row[0]);
                    assertThat(asOf.getString("asOf")).isEqualTo(row[0]);
                    assertThat(asOf.getLong("clusters")).as("clusters as of " + row[0])
                            .isEqualTo(Long.parseLong(row[1]));
                    assertThat(asOf.getLong("countries")).as("countries as of " + row[0])
                            .isEqualTo(Long.parseLong(row[2]));
                    if (!row[3].isEmpty()) {
                        assertThat(asOf.getObject("emissionsReductionMtPerYear", BigDecimal.class))
                                .as("emissions as of " + row[0]).isEqualByComparingTo(row[3]);
                        assertThat(asOf.getLong("jobs")).as("jobs as of " + row[0])
                                .isEqualTo(Long.parseLong(row[4]));
                        assertThat(asOf.getObject("gdpUsdBn", BigDecimal.class)).as("GDP as of " + row[0])
                                .isEqualByComparingTo(row[5]);
                    }
                });
            }
        }
    }
}
