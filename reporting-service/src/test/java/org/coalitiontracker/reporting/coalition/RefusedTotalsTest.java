package org.coalitiontracker.reporting.coalition;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.coalitiontracker.localinfra.EventContract;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;

/** What the views can never hold from {@code coalition-totals} is dead-lettered, and the views go on. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefusedTotalsTest extends FedByTotalsTopic {

    @Inject
    Pool pool;

    @Test
    @Order(1)
    void totalsTheViewsCannotHoldAreDeadLetteredWithTheirReasonAndTheViewsGoOn() {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<byte[], byte[]> deadLetters = kafka.consume(byte[].class, byte[].class)
                    .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("coalition-totals.reporting.dlq");
            // 2^53 jobs: more than a browser's numbers hold exactly. The producer's schema refuses it too.
            String beyondExact = topic.totals("cohort:1990", TotalsTopic.nextVersion(), id(), 1, 1, "1.000", 1,
                    "1.000").put("jobs", 9_007_199_254_740_992L).toString();
            assertThat(EventContract.totalsChangedV1().violations(beyondExact)).isNotEmpty();
            topic.publish("cohort:1990", beyondExact);
            topic.publish("cohort:1991", "this is not JSON");
            topic.publish("cohort:1993", topic.totals("cohort:1992", TotalsTopic.nextVersion(), id(), 1, 1, "1.000",
                    1, "1.000").toString());
            topic.publish("cohort:1995", topic.totals("cohort:1995", TotalsTopic.nextVersion(), id(), 1, 1, "1.000",
                    1, "1.000").put("emissionsReductionMtPerYear", 1e13).toString());
            topic.publish(topic.totals("cohort:1994", TotalsTopic.nextVersion(), id(), 2, 1, "2.000", 2, "2.000"));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/coalition/cohorts")
                    .then().statusCode(200).body("name", hasItem("1994")));
            await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.getRecords().size() >= 4);
            Map<String, String> reasons = new HashMap<>();
            deadLetters.getRecords().forEach(record -> reasons.put(new String(record.key(), StandardCharsets.UTF_8),
                    new String(record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)));
            assertThat(reasons.get("cohort:1990")).isEqualTo(
                    "invalid TotalsChanged: clusters, countries and jobs must be whole numbers from 0 to 9007199254740991");
            assertThat(reasons.get("cohort:1991")).startsWith("not a readable TotalsChanged: ");
            assertThat(reasons.get("cohort:1993")).isEqualTo("invalid TotalsChanged: the record's key must be its scope");
            assertThat(reasons.get("cohort:1995")).startsWith("invalid TotalsChanged: emissionsReductionMtPerYear");
            given().when().get("/coalition/cohorts").then().body("name", not(hasItem("1990")));
            given().when().get("/q/health/live").then().statusCode(200);
            given().when().get("/q/metrics").then().body(containsString(
                    "records_dead_lettered_total{topic=\"coalition-totals\"} 4.0"));
            deadLetters.stop();
        }
    }

    /**
     * A poll's totals are written in one statement: one the database refuses for good (here a check constraint the
     * test adds) is found by writing them again by halves, and is the only one dead-lettered. The views' store is
     * read here: the current totals are served from each replica's memory of the topic, which cannot know of a
     * refusal by the database (the contract's rule exists so that there is none).
     */
    @Test
    @Order(2)
    void totalsTheDatabaseRefusesAmongManyAreDeadLetteredAlone() {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            ConsumerTask<byte[], byte[]> deadLetters = kafka.consume(byte[].class, byte[].class)
                    .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("coalition-totals.reporting.dlq");
            List<ObjectNode> many = new ArrayList<>();
            for (int year = 2100; year < 2130; year++) {
                many.add(topic.totals("cohort:" + year, TotalsTopic.nextVersion(), id(), 1, 1, "1.000",
                        year == 2117 ? 4242 : 1, "1.000"));
            }
            pool.query("ALTER TABLE scope_view ADD CONSTRAINT no_4242_jobs CHECK (jobs <> 4242)").execute().await()
                    .indefinitely();
            try {
                topic.publishAll(many);
                await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.getRecords().stream()
                        .anyMatch(record -> "cohort:2117".equals(key(record))));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(storedCohorts())
                        .contains("2100", "2116", "2118", "2129"));
            } finally {
                pool.query("ALTER TABLE scope_view DROP CONSTRAINT no_4242_jobs").execute().await().indefinitely();
            }
            assertThat(storedCohorts()).filteredOn(name -> name.startsWith("21")).hasSize(29).doesNotContain("2117");
            assertThat(deadLetters.getRecords()).filteredOn(record -> key(record).startsWith("cohort:21"))
                    .singleElement().satisfies(record -> assertThat(new String(record.headers()
                            .lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                            .startsWith("the database refused it: ").contains("no_4242_jobs"));
            deadLetters.stop();
        }
    }

    /** The cohorts in the views' store. */
    private List<String> storedCohorts() {
        List<String> names = new ArrayList<>();
        pool.query("SELECT substr(scope, 8) FROM scope_view WHERE scope LIKE 'cohort:%'").execute().await()
                .indefinitely().forEach(row -> names.add(row.getString(0)));
        return names;
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
