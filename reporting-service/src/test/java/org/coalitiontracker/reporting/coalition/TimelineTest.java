package org.coalitiontracker.reporting.coalition;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The timeline the database keeps as the directory changes (V6; a statement at a time since V10; for every scope
 * since V11) gives, for every date, what the directory's entries add up to by the plain rule, for the coalition and
 * for each country, region, sector and cohort: the clusters that had joined by the end of the day and not yet
 * withdrawn. Checked on random changes of the directory (joins, revisions, changed dates and countries,
 * withdrawals taken back, removals, a withdrawal dated before the join), one to four entries a statement, made in one
 * transaction that is rolled back, so the other tests' directory is untouched; and again once the timeline is computed
 * from the whole directory at once, as at the end of a replay (V13).
 */
@QuarkusTest
class TimelineTest {

    /** Countries and dates no other test uses: the rows this test changes are its own. */
    private static final String[] COUNTRIES = { "TV", "NR", "PW", "KI", "FM", "MH" };
    /** Regions and sectors of this test's own, many: a scope has few members in a country, so its spans move often. */
    private static final String[] REGIONS = { "TT_NORTH", "TT_SOUTH", "TT_EAST", "TT_WEST", "TT_MIDDLE" };
    private static final String[] SECTORS = { "TT_ONE", "TT_TWO", "TT_THREE", "TT_FOUR", "TT_FIVE", "TT_SIX",
            "TT_SEVEN", "TT_EIGHT", "TT_NINE", "TT_TEN" };
    private static final List<String> KINDS = List.of("country", "region", "sector", "cohort");
    private static final LocalDate FIRST = LocalDate.of(2030, 1, 1);
    private static final int DAYS = 400;

    @Inject
    Pool pool;

    @Test
    void theTimelineAgreesWithTheDirectoryOnEveryDateWhateverOrderItChangesIn() {
        // -Dtimeline.seed=N runs the changes of a seed a run printed again.
        long seed = Long.getLong("timeline.seed", System.nanoTime());
        System.out.println("Random directory changes with seed " + seed);
        Random random = new Random(seed);
        SqlConnection connection = pool.getConnection().await().indefinitely();
        Transaction transaction = connection.begin().await().indefinitely();
        // One snapshot for the whole comparison: other tests' joins committed meanwhile count on neither side.
        connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute().await().indefinitely();
        try {
            List<UUID> clusters = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                int dice = random.nextInt(100);
                // A statement changes one to four entries: the directory takes a batch of events in one.
                int rows = 1 + random.nextInt(4);
                if (dice < 55 || clusters.size() < rows) {
                    List<Entry> joining = new ArrayList<>();
                    for (int row = 0; row < rows; row++) {
                        UUID id = UUID.randomUUID();
                        clusters.add(id);
                        joining.add(entry(random, id));
                    }
                    connection.preparedQuery("""
                            INSERT INTO cluster_entry (cluster_id, version, name, country, region, sectors, joined_on,
                                withdrawn_on, emissions_reduction_mt_per_year, jobs, gdp_usd_bn)
                            SELECT id, 1, name, country, region, string_to_array(sectors, ','), joined_on,
                                withdrawn_on, emissions, jobs, gdp
                            FROM\s""" + ENTRIES).execute(columns(joining)).await().indefinitely();
                } else if (dice < 90) {
                    List<Entry> changing = new ArrayList<>();
                    for (UUID id : someOf(clusters, rows, random)) {
                        changing.add(entry(random, id));
                    }
                    // Everything anew, or (a revision) the region, sectors and figures only.
                    String dates = dice < 75 ? """
                            country = u.country, joined_on = u.joined_on, withdrawn_on = u.withdrawn_on,""" : "";
                    connection.preparedQuery("UPDATE cluster_entry SET " + dates + """
                            name = u.name, region = u.region, sectors = string_to_array(u.sectors, ','),
                                emissions_reduction_mt_per_year = u.emissions, jobs = u.jobs, gdp_usd_bn = u.gdp
                            FROM\s""" + ENTRIES + " WHERE cluster_id = u.id").execute(columns(changing))
                            .await().indefinitely();
                } else {
                    List<UUID> leaving = someOf(clusters, rows, random);
                    clusters.removeAll(leaving);
                    connection.preparedQuery("DELETE FROM cluster_entry WHERE cluster_id = ANY ($1)")
                            .execute(Tuple.of(leaving.toArray(UUID[]::new))).await().indefinitely();
                }
            }

            assertTheTimelineKeepsTheRule(connection);
            // As a replay's end computes it (TimelineReplay), here on one connection.
            connection.query("SELECT timeline_periods_rebuild()").execute().await().indefinitely();
            connection.query("""
                    SELECT timeline_spans_replace(array_agg(kind), array_agg(name), array_agg(country),
                        array_agg(from_day), array_agg(until_day))
                    FROM timeline_spans()""").execute().await().indefinitely();
            connection.query("""
                    SELECT timeline_periods_add(array_agg(kind), array_agg(name), array_agg(period), array_agg(starts),
                        array_agg(clusters), array_agg(emissions_reduction_mt_per_year::text), array_agg(jobs),
                        array_agg(gdp_usd_bn::text))
                    FROM timeline_periods(true)""").execute().await().indefinitely();
            assertTheTimelineKeepsTheRule(connection);
        } finally {
            transaction.rollback().await().indefinitely();
            connection.close().await().indefinitely();
        }
    }

    /**
     * The history and the totals as of a date are kept between requests (TimelineAnswers), yet each answer follows
     * every committed change of the timeline, whoever made it: here a statement on the database, as another replica's
     * directory writes, between two requests of each.
     */
    @Test
    void theAnswersAsOfADateFollowEveryChangeCommittedToTheTimeline() {
        LocalDate day = FIRST.minusDays(1);
        UUID cluster = UUID.randomUUID();
        int before = clustersAsOf(day);
        assertThat(history(day)).isEmpty();
        try {
            pool.preparedQuery("""
                    INSERT INTO cluster_entry (cluster_id, version, name, country, region, sectors, joined_on,
                        emissions_reduction_mt_per_year, jobs, gdp_usd_bn)
                    VALUES ($1, 1, 'Answer Cluster', 'PW', 'TT_NORTH', '{TT_ONE}', $2, 2.500, 7, 1.000)""")
                    .execute(Tuple.of(cluster, day)).await().indefinitely();
            assertThat(clustersAsOf(day)).isEqualTo(before + 1);
            assertThat(history(day)).containsExactly(day.toString());
            given().queryParam("asOf", day.toString()).when().get("/coalition/countries").then().statusCode(200)
                    .body("find { it.name == 'PW' }.clusters", equalTo(1));
        } finally {
            pool.preparedQuery("DELETE FROM cluster_entry WHERE cluster_id = $1").execute(Tuple.of(cluster))
                    .await().indefinitely();
        }
        assertThat(clustersAsOf(day)).isEqualTo(before);
        assertThat(history(day)).isEmpty();
        given().queryParam("asOf", day.toString()).when().get("/coalition/countries").then().statusCode(200)
                .body("find { it.name == 'PW' }", nullValue());
    }

    private static int clustersAsOf(LocalDate day) {
        return given().queryParam("asOf", day.toString()).when().get("/coalition").then().statusCode(200).extract()
                .path("clusters");
    }

    /** The dates of the coalition's history on the day alone. */
    private static List<String> history(LocalDate day) {
        return given().queryParam("from", day.toString()).queryParam("to", day.toString()).when()
                .get("/coalition/history").then().statusCode(200).extract().jsonPath().getList("asOf");
    }

    /** An entry whose region is taken away leaves the region, and the region its country if it had no other there. */
    @Test
    void anEntryWithoutARegionAnyMoreLeavesItsRegionsCountries() {
        SqlConnection connection = pool.getConnection().await().indefinitely();
        Transaction transaction = connection.begin().await().indefinitely();
        try {
            UUID leaving = UUID.randomUUID();
            connection.preparedQuery("""
                    INSERT INTO cluster_entry (cluster_id, version, name, country, region, sectors, joined_on,
                        emissions_reduction_mt_per_year, jobs, gdp_usd_bn)
                    VALUES ($1, 1, 'Leaving Cluster', 'TV', 'TT_LONELY', '{TT_ONE}', $3, 1.000, 1, 1.000),
                           ($2, 1, 'Staying Cluster', 'NR', 'TT_LONELY', '{TT_ONE}', $3, 1.000, 1, 1.000)""")
                    .execute(Tuple.of(leaving, UUID.randomUUID(), FIRST)).await().indefinitely();
            assertThat(lonely(connection).countries()).isEqualTo(2);
            connection.preparedQuery("UPDATE cluster_entry SET region = NULL WHERE cluster_id = $1")
                    .execute(Tuple.of(leaving)).await().indefinitely();
            assertThat(lonely(connection).clusters()).isEqualTo(1);
            assertThat(lonely(connection).countries()).isEqualTo(1);
        } finally {
            transaction.rollback().await().indefinitely();
            connection.close().await().indefinitely();
        }
    }

    /**
     * The directory's consumers write side by side: two transactions that move the same country's spans at once, one
     * of them waiting on the other's lock, count the country once on every day it has a member.
     */
    @Test
    void transactionsSideBySideCountACountryOnceOnEachDayItHasAMember() {
        List<UUID> clusters = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        String join = """
                INSERT INTO cluster_entry (cluster_id, version, name, country, sectors, joined_on,
                    emissions_reduction_mt_per_year, jobs, gdp_usd_bn)
                VALUES ($1, 1, 'Side by side cluster', 'WF', '{TT_ONE}', $2, 1.000, 1, 1.000)""";
        try {
            // Two joins, each a span of its own until the other's is seen.
            sideBySide(join, Tuple.of(clusters.get(0), LocalDate.of(2031, 3, 1)), join,
                    Tuple.of(clusters.get(1), LocalDate.of(2031, 2, 1)));
            assertThat(wallisAndFutuna(LocalDate.of(2031, 4, 1))).isEqualTo(Optional.of(1L));

            // Both withdraw, and a third joins after: its join is not inside the span the withdrawals end.
            sideBySide("UPDATE cluster_entry SET withdrawn_on = '2031-06-01' WHERE cluster_id = ANY ($1)",
                    Tuple.of(clusters.subList(0, 2).toArray(UUID[]::new)), join,
                    Tuple.of(clusters.get(2), LocalDate.of(2031, 9, 1)));
            assertThat(wallisAndFutuna(LocalDate.of(2031, 5, 31))).isEqualTo(Optional.of(1L));
            assertThat(wallisAndFutuna(LocalDate.of(2031, 7, 1))).isEmpty();
            assertThat(wallisAndFutuna(LocalDate.of(2031, 10, 1))).isEqualTo(Optional.of(1L));
        } finally {
            pool.preparedQuery("DELETE FROM cluster_entry WHERE cluster_id = ANY ($1)")
                    .execute(Tuple.of(clusters.toArray(UUID[]::new))).await().indefinitely();
        }
    }

    /**
     * Runs the first statement in a transaction, then the second in another until it is done or waits on the first's
     * lock of a country, then commits the first and, once the second is done, the second.
     */
    private void sideBySide(String first, Tuple firstValues, String second, Tuple secondValues) {
        SqlConnection one = pool.getConnection().await().indefinitely();
        SqlConnection other = pool.getConnection().await().indefinitely();
        try {
            Transaction oneTransaction = one.begin().await().indefinitely();
            Transaction otherTransaction = other.begin().await().indefinitely();
            int otherProcess = other.query("SELECT pg_backend_pid()").execute().await().indefinitely().iterator().next()
                    .getInteger(0);
            one.preparedQuery(first).execute(firstValues).await().indefinitely();
            CompletableFuture<?> secondDone = other.preparedQuery(second).execute(secondValues)
                    .subscribeAsCompletionStage();
            await().atMost(Duration.ofSeconds(20)).until(() -> secondDone.isDone() || "advisory".equals(pool
                    .preparedQuery("SELECT wait_event FROM pg_stat_activity WHERE pid = $1")
                    .execute(Tuple.of(otherProcess)).await().indefinitely().iterator().next().getString(0)));
            oneTransaction.commit().await().indefinitely();
            secondDone.join();
            otherTransaction.commit().await().indefinitely();
        } finally {
            one.close().await().indefinitely();
            other.close().await().indefinitely();
        }
    }

    /** The countries Wallis and Futuna's scope counts at the end of the day, if it has a member then. */
    private Optional<Long> wallisAndFutuna(LocalDate day) {
        return Timeline.breakdown(pool, "country", day).await().indefinitely().stream()
                .filter(scope -> scope.name().equals("WF")).findFirst().map(scope -> scope.totals().countries());
    }

    private static Timeline.Totals lonely(SqlConnection connection) {
        return Timeline.breakdown(connection, "region", FIRST).await().indefinitely().stream()
                .filter(scope -> scope.name().equals("TT_LONELY")).findFirst().orElseThrow().totals();
    }

    /**
     * The totals as of each day of the test's range, each kind's breakdown as of each day and the history by day and
     * by month are what the directory's entries add up to by the rule.
     */
    private static void assertTheTimelineKeepsTheRule(SqlConnection connection) {
        Map<LocalDate, Timeline.Totals> changes = new LinkedHashMap<>();
        Timeline.Totals before = byTheRule(connection, FIRST.minusDays(1));
        for (LocalDate day = FIRST.minusDays(1); day.isBefore(FIRST.plusDays(DAYS + 1)); day = day.plusDays(1)) {
            Timeline.Totals expected = byTheRule(connection, day);
            assertThat(Timeline.asOf(connection, day).await().indefinitely()).as("as of %s", day)
                    .isEqualTo(expected);
            for (String kind : KINDS) {
                Map<String, Timeline.Totals> scopes = new TreeMap<>();
                Timeline.breakdown(connection, kind, day).await().indefinitely()
                        .forEach(scope -> scopes.put(scope.name(), scope.totals()));
                assertThat(scopes).as("%s as of %s", kind, day).isEqualTo(byTheRule(connection, kind, day));
            }
            if (!sameFigures(expected, before)) {
                changes.put(day, expected);
            }
            before = expected;
        }
        assertThat(changes).hasSizeGreaterThan(50);
        // After every date (the database's infinity): what the directory's members add up to, as Freshness reads it.
        assertThat(Timeline.asOf(connection, LocalDate.MAX).await().indefinitely()).as("after every date")
                .isEqualTo(byTheRule(connection, LocalDate.MAX));
        assertThat(Timeline.history(connection, FIRST, FIRST.plusDays(DAYS), Timeline.Resolution.DAY)
                .await().indefinitely()).containsExactlyElementsOf(changes.values());

        // By month: the last date of change in each month of the range, and the totals after it.
        Map<LocalDate, Timeline.Totals> lastOfEachMonth = new LinkedHashMap<>();
        LocalDate to = FIRST.plusDays(DAYS / 2);
        changes.forEach((day, totals) -> {
            if (!day.isAfter(to)) {
                lastOfEachMonth.put(day.withDayOfMonth(1), totals);
            }
        });
        assertThat(Timeline.history(connection, FIRST, to, Timeline.Resolution.MONTH).await().indefinitely())
                .containsExactlyElementsOf(lastOfEachMonth.values());
    }

    /** Entries as the statements take them, a column an array. */
    private static final String ENTRIES = """
            unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[], $6::text[]::numeric[], $7::int8[],
               $8::text[]::numeric[], $9::text[], $10::text[])
            AS u(id, name, country, joined_on, withdrawn_on, emissions, jobs, gdp, region, sectors)""";

    private record Entry(UUID id, String country, LocalDate joinedOn, LocalDate withdrawnOn, BigDecimal emissions,
            long jobs, BigDecimal gdp, String region, String sectors) {
    }

    /** A cluster's country, dates (withdrawn in one of three), figures, region (none in one of five) and sectors. */
    private static Entry entry(Random random, UUID id) {
        LocalDate joined = FIRST.plusDays(random.nextInt(DAYS));
        int dice = random.nextInt(12);
        // One in twelve says it withdrew before it joined, as only a hostile publisher's later version could: it
        // counts on no day.
        LocalDate withdrawn = dice < 4
                ? joined.plusDays(random.nextInt((int) ChronoUnit.DAYS.between(joined, FIRST.plusDays(DAYS)) + 1))
                : dice == 4 ? joined.minusDays(1 + random.nextInt(30)) : null;
        return new Entry(id, COUNTRIES[random.nextInt(COUNTRIES.length)], joined, withdrawn,
                BigDecimal.valueOf(random.nextInt(100_000), 3), random.nextInt(100_000),
                BigDecimal.valueOf(random.nextInt(100_000), 3),
                random.nextInt(5) == 0 ? null : REGIONS[random.nextInt(REGIONS.length)],
                String.join(",", new TreeSet<>(List.of(SECTORS[random.nextInt(SECTORS.length)],
                        SECTORS[random.nextInt(SECTORS.length)]))));
    }

    private static Tuple columns(List<Entry> entries) {
        return Tuple.tuple(List.of(entries.stream().map(Entry::id).toArray(UUID[]::new),
                entries.stream().map(entry -> "Timeline test " + entry.id()).toArray(String[]::new),
                entries.stream().map(Entry::country).toArray(String[]::new),
                entries.stream().map(Entry::joinedOn).toArray(LocalDate[]::new),
                entries.stream().map(Entry::withdrawnOn).toArray(LocalDate[]::new),
                entries.stream().map(entry -> entry.emissions().toPlainString()).toArray(String[]::new),
                entries.stream().map(Entry::jobs).toArray(Long[]::new),
                entries.stream().map(entry -> entry.gdp().toPlainString()).toArray(String[]::new),
                entries.stream().map(Entry::region).toArray(String[]::new),
                entries.stream().map(Entry::sectors).toArray(String[]::new)));
    }

    /** Distinct clusters, picked at random. */
    private static List<UUID> someOf(List<UUID> clusters, int count, Random random) {
        List<UUID> shuffled = new ArrayList<>(clusters);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, count);
    }

    /** What the directory's entries add up to at the end of the day, summed over them all. */
    private static Timeline.Totals byTheRule(SqlConnection connection, LocalDate day) {
        Row row = connection.preparedQuery("""
                SELECT count(*), count(DISTINCT country), coalesce(sum(emissions_reduction_mt_per_year), 0),
                       coalesce(sum(jobs), 0), coalesce(sum(gdp_usd_bn), 0)
                FROM cluster_entry WHERE joined_on <= $1 AND (withdrawn_on IS NULL OR withdrawn_on > $1)""")
                .execute(Tuple.of(day)).await().indefinitely().iterator().next();
        return new Timeline.Totals(day, row.getLong(0), row.getLong(1), row.getBigDecimal(2).setScale(3),
                row.getLong(3), row.getBigDecimal(4).setScale(3));
    }

    /** Each scope of the kind with members at the end of the day, summed over the entries. */
    private static Map<String, Timeline.Totals> byTheRule(SqlConnection connection, String kind, LocalDate day) {
        Map<String, Timeline.Totals> scopes = new TreeMap<>();
        connection.preparedQuery("""
                SELECT name, count(*), count(DISTINCT country), sum(emissions_reduction_mt_per_year), sum(jobs),
                       sum(gdp_usd_bn)
                FROM (SELECT CASE $2 WHEN 'country' THEN e.country WHEN 'region' THEN e.region
                                     WHEN 'cohort' THEN extract(year FROM e.joined_on)::text ELSE sector END AS name,
                             e.country, e.emissions_reduction_mt_per_year, e.jobs, e.gdp_usd_bn
                      FROM cluster_entry e,
                           unnest(CASE WHEN $2 = 'sector' THEN e.sectors ELSE ARRAY[NULL]::varchar[] END) sector
                      WHERE e.joined_on <= $1 AND (e.withdrawn_on IS NULL OR e.withdrawn_on > $1)) members
                WHERE name IS NOT NULL GROUP BY name""").execute(Tuple.of(day, kind)).await().indefinitely()
                .forEach(row -> scopes.put(row.getString(0), new Timeline.Totals(day, row.getLong(1),
                        row.getLong(2), row.getBigDecimal(3).setScale(3), row.getLong(4),
                        row.getBigDecimal(5).setScale(3))));
        return scopes;
    }

    private static boolean sameFigures(Timeline.Totals one, Timeline.Totals other) {
        return one.clusters() == other.clusters() && one.countries() == other.countries()
                && one.emissionsReductionMtPerYear().equals(other.emissionsReductionMtPerYear())
                && one.jobs() == other.jobs() && one.gdpUsdBn().equals(other.gdpUsdBn());
    }
}
