package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * "The totals as of a date" is answered three times, each by its own service's rule: by membership-service from its
 * roster ({@code GET /roster/summary?asOf=}), by metrics-service from the clusters' contributions
 * ({@code GET /totals/coalition/history/{date}}) and by reporting-service from its directory
 * ({@code GET /coalition?asOf=}). On a random roster with joins, revisions and withdrawals, all three give the same
 * totals for every date on which something changed, the day before each, and dates in between.
 */
class AsOfAgreementTest {

    private static final String[] COUNTRIES = { "GB", "NL", "BR", "IN", "SA", "AU", "US", "ZA" };
    private static final String[] SECTORS = { "STEEL", "CEMENT", "CHEMICALS", "HYDROGEN", "POWER" };
    private static final LocalDate FIRST = LocalDate.of(2021, 11, 1);

    @Test
    void theRosterTheTotalsAndTheDirectoryAgreeOnEveryDate() throws Exception {
        long seed = System.nanoTime();
        System.out.println("Random roster with seed " + seed);
        Random random = new Random(seed);
        LocalDate today = LocalDate.now();
        int days = (int) (today.toEpochDay() - FIRST.toEpochDay());
        TreeSet<LocalDate> dates = new TreeSet<>();

        try (CoalitionSystem system = CoalitionSystem.start("e2e_asof")) {
            List<String> clusters = new ArrayList<>();
            List<LocalDate> joined = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                LocalDate joinedOn = FIRST.plusDays(random.nextInt(days + 1));
                clusters.add(system.join(join("As-of cluster " + i + " " + seed, COUNTRIES[random.nextInt(
                        COUNTRIES.length)], joinedOn, SECTORS[random.nextInt(SECTORS.length)], random)));
                joined.add(joinedOn);
                dates.add(joinedOn);
            }
            for (int i = 0; i < 15; i++) {
                given().auth().oauth2(system.publisherToken()).contentType("application/json")
                        .body(Map.of("emissionsReductionMtPerYear", figure(random), "jobs", random.nextInt(200_000),
                                "gdpUsdBn", figure(random)))
                        .when().patch(clusters.get(random.nextInt(clusters.size())) + "/figures")
                        .then().statusCode(200);
            }
            for (int i = 0; i < 12; i++) {
                int which = random.nextInt(clusters.size());
                LocalDate withdrawnOn = joined.get(which).plusDays(
                        random.nextInt((int) (today.toEpochDay() - joined.get(which).toEpochDay()) + 1));
                int status = given().auth().oauth2(system.publisherToken()).contentType("application/json")
                        .body(Map.of("withdrawnOn", withdrawnOn.toString(), "reason", "left"))
                        .when().post(clusters.get(which) + "/withdrawal")
                        .then().extract().statusCode();
                // A cluster drawn twice withdrew already: 409, and its first withdrawal stands.
                assertThat(status).isIn(200, 409);
                if (status == 200) {
                    dates.add(withdrawnOn);
                }
            }
            for (LocalDate date : new ArrayList<>(dates)) {
                dates.add(date.minusDays(1));
            }
            for (int i = 0; i < 10; i++) {
                dates.add(FIRST.plusDays(random.nextInt(days + 1)));
            }
            dates.add(today);

            // The roster is the reference; the others agree once they have applied every event.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Totals roster = Totals.of(exact(given().baseUri(system.membership.baseUri())
                        .get("/roster/summary?asOf=" + today)));
                assertThat(Totals.of(exact(given().baseUri(system.metrics.baseUri())
                        .get("/totals/coalition/history/" + today)))).isEqualTo(roster);
                assertThat(Totals.of(system.coalition("?asOf=" + today))).isEqualTo(roster);
            });
            for (LocalDate date : dates) {
                Totals roster = Totals.of(exact(given().baseUri(system.membership.baseUri())
                        .get("/roster/summary?asOf=" + date)));
                assertThat(Totals.of(exact(given().baseUri(system.metrics.baseUri())
                        .get("/totals/coalition/history/" + date)))).as("metrics-service as of %s", date)
                        .isEqualTo(roster);
                assertThat(Totals.of(system.coalition("?asOf=" + date))).as("reporting-service as of %s", date)
                        .isEqualTo(roster);
            }
            System.out.printf("Three rules agreed on %d dates (%d clusters, %s)%n", dates.size(), clusters.size(),
                    Totals.of(system.coalition("?asOf=" + today)));
        }
    }

    /** What the three answers must share: the date, the counts and the exact figures (compared by value). */
    private record Totals(LocalDate asOf, long clusters, long countries, BigDecimal emissions, long jobs,
            BigDecimal gdp) {

        static Totals of(JsonPath json) {
            return new Totals(LocalDate.parse(json.getString("asOf")), json.getLong("clusters"),
                    json.getLong("countries"),
                    json.getObject("emissionsReductionMtPerYear", BigDecimal.class).stripTrailingZeros(),
                    json.getLong("jobs"), json.getObject("gdpUsdBn", BigDecimal.class).stripTrailingZeros());
        }
    }

    private static JsonPath exact(io.restassured.response.Response response) {
        return response.then().statusCode(200).extract().jsonPath()
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static BigDecimal figure(Random random) {
        return BigDecimal.valueOf(random.nextInt(5_000_000), 3);
    }

    private static String join(String name, String country, LocalDate joinedOn, String sector, Random random) {
        return """
                {"name":"%s","country":"%s","joinedOn":"%s","sectors":["%s"],"emissionsReductionMtPerYear":%s,
                 "jobs":%d,"gdpUsdBn":%s}""".formatted(name, country, joinedOn, sector, figure(random),
                random.nextInt(200_000), figure(random));
    }
}
