package org.coalitiontracker.reporting.coalition;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The timeline the database keeps as the directory changes (V6) gives, for every date, what the directory's entries
 * add up to by the plain rule: the clusters that had joined by the end of the day and not yet withdrawn. Checked on
 * random changes of the directory (joins, revisions, changed dates and countries, withdrawals taken back, removals, a
 * withdrawal dated before the join),
 * made in one transaction that is rolled back, so the other tests' directory is untouched.
 */
@QuarkusTest
class TimelineTest {

    /** Countries and dates no other test uses: the rows this test changes are its own. */
    private static final String[] COUNTRIES = { "TV", "NR", "PW", "KI", "FM", "MH" };
    private static final LocalDate FIRST = LocalDate.of(2030, 1, 1);
    private static final int DAYS = 400;

    @Inject
    Pool pool;

    @Test
    void theTimelineAgreesWithTheDirectoryOnEveryDateWhateverOrderItChangesIn() {
        long seed = System.nanoTime();
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
                if (dice < 55 || clusters.isEmpty()) {
                    UUID id = UUID.randomUUID();
                    clusters.add(id);
                    connection.preparedQuery("""
                            INSERT INTO cluster_entry (cluster_id, version, name, country, sectors, joined_on,
                                withdrawn_on, emissions_reduction_mt_per_year, jobs, gdp_usd_bn)
                            VALUES ($1, 1, $2, $3, '{STEEL}', $4, $5, $6, $7, $8)""")
                            .execute(entry(random, id)).await().indefinitely();
                } else if (dice < 90) {
                    connection.preparedQuery("""
                            UPDATE cluster_entry SET name = $2, country = $3, joined_on = $4, withdrawn_on = $5,
                                emissions_reduction_mt_per_year = $6, jobs = $7, gdp_usd_bn = $8
                            WHERE cluster_id = $1""")
                            .execute(entry(random, clusters.get(random.nextInt(clusters.size()))))
                            .await().indefinitely();
                } else {
                    connection.preparedQuery("DELETE FROM cluster_entry WHERE cluster_id = $1")
                            .execute(Tuple.of(clusters.remove(random.nextInt(clusters.size()))))
                            .await().indefinitely();
                }
            }

            Map<LocalDate, Timeline.Totals> changes = new LinkedHashMap<>();
            Timeline.Totals before = byTheRule(connection, FIRST.minusDays(1));
            for (LocalDate day = FIRST.minusDays(1); day.isBefore(FIRST.plusDays(DAYS + 1)); day = day.plusDays(1)) {
                Timeline.Totals expected = byTheRule(connection, day);
                assertThat(Timeline.asOf(connection, day).await().indefinitely()).as("as of %s", day)
                        .isEqualTo(expected);
                if (!sameFigures(expected, before)) {
                    changes.put(day, expected);
                }
                before = expected;
            }
            assertThat(changes).hasSizeGreaterThan(50);
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
        } finally {
            transaction.rollback().await().indefinitely();
            connection.close().await().indefinitely();
        }
    }

    /** A cluster's id, name, country, dates (withdrawn in one of three) and figures, as the statements take them. */
    private static Tuple entry(Random random, UUID id) {
        LocalDate joined = FIRST.plusDays(random.nextInt(DAYS));
        int dice = random.nextInt(12);
        // One in twelve says it withdrew before it joined, as only a hostile publisher's later version could: it
        // counts on no day.
        LocalDate withdrawn = dice < 4
                ? joined.plusDays(random.nextInt((int) ChronoUnit.DAYS.between(joined, FIRST.plusDays(DAYS)) + 1))
                : dice == 4 ? joined.minusDays(1 + random.nextInt(30)) : null;
        return Tuple.tuple().addValue(id).addValue("Timeline test " + id)
                .addValue(COUNTRIES[random.nextInt(COUNTRIES.length)]).addValue(joined).addValue(withdrawn)
                .addValue(BigDecimal.valueOf(random.nextInt(100_000), 3)).addValue((long) random.nextInt(100_000))
                .addValue(BigDecimal.valueOf(random.nextInt(100_000), 3));
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

    private static boolean sameFigures(Timeline.Totals one, Timeline.Totals other) {
        return one.clusters() == other.clusters() && one.countries() == other.countries()
                && one.emissionsReductionMtPerYear().equals(other.emissionsReductionMtPerYear())
                && one.jobs() == other.jobs() && one.gdpUsdBn().equals(other.gdpUsdBn());
    }
}
