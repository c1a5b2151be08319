package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.reporting.web.Revalidation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The coalition's totals through time, from the directory's dates: a cluster counts from the day it joined until
 * the day it withdrew. So the totals of any past date are right however late an event with an old date arrived.
 * <p>
 * The database keeps what each scope's totals (the coalition's, and each country's, region's, sector's and cohort's)
 * change by on each day and in each month as the directory changes (V11): the totals as of a date read the months
 * before it and the days of its month, and the spans of each country's membership, however many clusters the roster
 * has.
 */
@ApplicationScoped
public class Timeline {

    /** The coalition's totals at the end of {@code asOf}. */
    public record Totals(LocalDate asOf, long clusters, long countries, BigDecimal emissionsReductionMtPerYear,
            long jobs, BigDecimal gdpUsdBn) {
    }

    /** A scope's name (a country's code, a region, a sector, a year; '' for the coalition) and its totals. */
    public record ScopeAsOf(String name, Totals totals) {
    }

    /** How finely a history is told: each entry is the totals after the last change within its day, week, ... */
    public enum Resolution {
        DAY,
        WEEK,
        MONTH,
        QUARTER,
        YEAR;

        /** As the API spells it. */
        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Each scope of a kind at the end of $2 with a member then: its months before $2's month and its days of that month
     * up to $2, summed; its countries are the spans that hold $2. The months and the days are two ranges of the
     * timeline's key, which carries the figures (V19), read apart so that each is a scan of the key alone.
     */
    private static final String AS_OF = """
            WITH figures AS (
                SELECT name, sum(clusters) AS clusters, sum(emissions) AS emissions, sum(jobs) AS jobs,
                       sum(gdp) AS gdp
                FROM (
                    SELECT name, clusters, emissions_reduction_mt_per_year AS emissions, jobs, gdp_usd_bn AS gdp
                    FROM scope_period WHERE kind = $1 AND period = 'month'
                        AND starts < date_trunc('month', $2::date::timestamp)::date
                    UNION ALL
                    SELECT name, clusters, emissions_reduction_mt_per_year, jobs, gdp_usd_bn
                    FROM scope_period WHERE kind = $1 AND period = 'day'
                        AND starts >= date_trunc('month', $2::date::timestamp)::date AND starts <= $2) changes
                GROUP BY name
            ), countries AS (
                SELECT name, count(*) AS countries FROM scope_country_span
                WHERE kind = $1 AND from_day <= $2 AND (until_day IS NULL OR until_day > $2) GROUP BY name
            )
            SELECT $2::date AS as_of, f.name, f.clusters, coalesce(c.countries, 0) AS countries, f.emissions, f.jobs,
                   f.gdp
            FROM figures f LEFT JOIN countries c ON c.name = f.name WHERE f.clusters > 0""";

    /** A country's span adds a country on its first day and takes it away on the day after its last. */
    private static final String HISTORY = """
            WITH changes AS (
                SELECT starts AS day, clusters, 0 AS countries, emissions_reduction_mt_per_year AS emissions, jobs,
                       gdp_usd_bn AS gdp
                FROM scope_period WHERE kind = 'coalition' AND name = '' AND period = 'day'
                UNION ALL
                SELECT from_day, 0, 1, 0, 0, 0 FROM scope_country_span WHERE kind = 'coalition'
                UNION ALL
                SELECT until_day, 0, -1, 0, 0, 0 FROM scope_country_span
                WHERE kind = 'coalition' AND until_day IS NOT NULL
            ), daily AS (
                SELECT day, sum(clusters) AS c, sum(countries) AS n, sum(emissions) AS e, sum(jobs) AS j,
                       sum(gdp) AS g
                FROM changes GROUP BY day
            ), running AS (
                SELECT day, sum(c) OVER w AS clusters, sum(n) OVER w AS countries, sum(e) OVER w AS emissions,
                       sum(j) OVER w AS jobs, sum(g) OVER w AS gdp
                FROM daily WHERE c <> 0 OR n <> 0 OR e <> 0 OR j <> 0 OR g <> 0
                WINDOW w AS (ORDER BY day)
            )
            SELECT DISTINCT ON (date_trunc($3::text, day::timestamp)) day AS as_of, clusters, countries, emissions, jobs, gdp
            FROM running WHERE day >= coalesce($1::date, '-infinity') AND day <= coalesce($2::date, 'infinity')
            ORDER BY date_trunc($3::text, day::timestamp), day DESC""";

    private final Pool database;
    private final TimelineAnswers answers;
    private final ObjectMapper json;

    Timeline(Pool database, TimelineAnswers answers, ObjectMapper json) {
        this.database = database;
        this.answers = answers;
        this.json = json;
    }

    /** An answer, and a digest of what it says (the same on every replica): what its ETag is made of. */
    record Answer<T>(T value, String digest) {
        static <T> Answer<T> of(T value) {
            return new Answer<>(value, Revalidation.digest(value.toString()));
        }
    }

    /** A breakdown's parameters, and a history's: what an answer is kept by. */
    private record BreakdownQuestion(String kind, LocalDate date) {
    }

    private record HistoryQuestion(LocalDate from, LocalDate to, Resolution resolution) {
    }

    /** The coalition's totals at the end of {@code date}. */
    Uni<Totals> asOf(LocalDate date) {
        return breakdown("coalition", date).map(scopes -> coalition(scopes.value(), date));
    }

    /**
     * What the directory's current members add up to: the totals after every join and withdrawal, whatever its date
     * (LocalDate.MAX is the database's infinity). Read from the timeline, so it costs the same at any size of the
     * roster. While the timeline waits for the directory to be read again from the start (V13), no totals, and since
     * when it waits. A lock held on the timeline (a migration's, an operator's statement) fails the read once it has
     * waited {@code lockWait}, rather than hold it and the caller for as long as the lock lasts.
     */
    Uni<Members> members(Duration lockWait) {
        return database.withTransaction(connection -> connection
                .query("SET LOCAL lock_timeout = " + lockWait.toMillis()).execute()
                .chain(() -> connection.query("SELECT min(since) AS since FROM timeline_replay").execute())
                .chain(rows -> {
                    OffsetDateTime since = rows.iterator().next().getOffsetDateTime("since");
                    return since != null ? Uni.createFrom().item(new Members(null, since.toInstant()))
                            : asOf(connection, LocalDate.MAX).map(totals -> new Members(totals, null));
                }));
    }

    /** What the directory's members add up to, or since when the timeline has waited for a replay (V13). */
    record Members(Totals totals, Instant waitingSince) {
    }

    /**
     * The totals after each date on which they changed from {@code from} to {@code to}, oldest first; with a coarser
     * resolution than a day, only the last of those dates in each period. As JSON, written once for all the requests
     * answered while the timeline stays the same: every open dashboard asks for it after each change, and the
     * history of a large roster is some 250 KB, which took longer to write than to send.
     */
    Uni<Answer<byte[]>> history(LocalDate from, LocalDate to, Resolution resolution) {
        return answers.answer(new HistoryQuestion(from, to, resolution),
                () -> history(database, from, to, resolution).map(this::written));
    }

    private Answer<byte[]> written(List<Totals> history) {
        try {
            byte[] written = json.writeValueAsBytes(history);
            return new Answer<>(written, Revalidation.digest(written));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("Totals is a record of plain values", impossible);
        }
    }

    static Uni<Totals> asOf(SqlClient database, LocalDate date) {
        return breakdown(database, "coalition", date).map(scopes -> coalition(scopes, date));
    }

    private static Totals coalition(List<ScopeAsOf> scopes, LocalDate date) {
        return scopes.isEmpty() ? new Totals(date, 0, 0, BigDecimal.ZERO.setScale(3), 0, BigDecimal.ZERO.setScale(3))
                : scopes.get(0).totals();
    }

    /** Each scope of the kind (coalition, country, region, sector, cohort) with a member at the end of the date. */
    Uni<Answer<List<ScopeAsOf>>> breakdown(String kind, LocalDate date) {
        return answers.answer(new BreakdownQuestion(kind, date), () -> breakdown(database, kind, date).map(Answer::of));
    }

    static Uni<List<ScopeAsOf>> breakdown(SqlClient database, String kind, LocalDate date) {
        return database.preparedQuery(AS_OF).execute(Tuple.of(kind, date)).map(rows -> {
            List<ScopeAsOf> scopes = new ArrayList<>(rows.size());
            rows.forEach(row -> scopes.add(new ScopeAsOf(row.getString("name"), totals(row))));
            return Collections.unmodifiableList(scopes);
        });
    }

    static Uni<List<Totals>> history(SqlClient database, LocalDate from, LocalDate to, Resolution resolution) {
        return database.preparedQuery(HISTORY).execute(Tuple.of(from, to, resolution.spelling())).map(rows -> {
            List<Totals> history = new ArrayList<>(rows.size());
            rows.forEach(row -> history.add(totals(row)));
            return Collections.unmodifiableList(history);
        });
    }

    private static Totals totals(Row row) {
        return new Totals(row.getLocalDate("as_of"), row.getLong("clusters"), row.getLong("countries"),
                row.getBigDecimal("emissions").setScale(3), row.getLong("jobs"), row.getBigDecimal("gdp").setScale(3));
    }
}
