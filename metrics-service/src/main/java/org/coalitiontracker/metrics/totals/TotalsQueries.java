package org.coalitiontracker.metrics.totals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The totals as they are read: each scope's current totals, kept by the batches ({@link TallyStore}), and its totals
 * as of a date or over time, summed from the clusters' contributions by their join and withdrawal dates.
 */
@ApplicationScoped
public class TotalsQueries {

    private final Pool pool;

    TotalsQueries(Pool pool) {
        this.pool = pool;
    }

    /** Every scope's current totals, by scope. */
    public Uni<List<TotalsChanged>> current() {
        return pool.query("SELECT " + TotalsRows.COLUMNS + " FROM scope_totals ORDER BY scope").execute()
                .map(TotalsRows::totals);
    }

    /** The current totals of those scopes whose version is now higher than the one given for it. */
    Uni<List<TotalsChanged>> newerThan(List<TotalsChanged> totals) {
        return pool.preparedQuery("SELECT " + TotalsRows.COLUMNS + """
                 FROM scope_totals JOIN unnest($1::text[], $2::int8[]) AS given(given_scope, given_version)
                ON scope = given_scope WHERE version > given_version""")
                .execute(Tuple.of(totals.stream().map(TotalsChanged::scope).toArray(String[]::new),
                        totals.stream().map(TotalsChanged::version).toArray(Long[]::new)))
                .map(TotalsRows::totals);
    }

    /** One scope's current totals, or null if nothing ever counted in it. */
    public Uni<TotalsChanged> current(String scope) {
        return pool.preparedQuery("SELECT " + TotalsRows.COLUMNS + " FROM scope_totals WHERE scope = $1")
                .execute(Tuple.of(scope))
                .map(rows -> TotalsRows.totals(rows).stream().findFirst().orElse(null));
    }

    /** A scope's totals as of the end of a date: its clusters that had joined by then and not yet withdrawn. */
    Uni<TotalsAsOf> asOf(String scope, LocalDate date) {
        return pool.preparedQuery("""
                SELECT $2::date AS as_of, count(*) AS clusters, count(DISTINCT country) AS countries,
                       coalesce(sum(emissions_reduction_mt_per_year), 0) AS emissions, coalesce(sum(jobs), 0) AS jobs,
                       coalesce(sum(gdp_usd_bn), 0) AS gdp
                FROM cluster_contribution
                WHERE\s""" + Scope.members(scope)
                + " AND joined_on <= $2 AND (withdrawn_on IS NULL OR withdrawn_on > $2)")
                .execute(Tuple.of(Scope.value(scope), date))
                .map(rows -> asOf(scope, rows.iterator().next()));
    }

    /**
     * A scope's totals after each date on which they changed, oldest first, from its clusters' join and withdrawal
     * dates. A country counts from the day it has a cluster in the scope until the day it has none left.
     */
    Uni<List<TotalsAsOf>> history(String scope) {
        return pool.preparedQuery("""
                WITH members AS (
                    SELECT country, joined_on, withdrawn_on, emissions_reduction_mt_per_year AS e, jobs AS j,
                           gdp_usd_bn AS g
                    FROM cluster_contribution WHERE\s""" + Scope.members(scope) + "\n" + """
                ), changes AS (
                    SELECT joined_on AS day, country, 1 AS c, e, j, g FROM members
                    UNION ALL
                    SELECT withdrawn_on, country, -1, -e, -j, -g FROM members WHERE withdrawn_on IS NOT NULL
                ), per_country AS (
                    SELECT day, country, sum(c) AS c FROM changes GROUP BY day, country
                ), presence AS (
                    SELECT day, (sum(c) OVER w > 0)::int - (sum(c) OVER w - c > 0)::int AS change
                    FROM per_country WINDOW w AS (PARTITION BY country ORDER BY day)
                ), daily AS (
                    SELECT day, sum(c) AS c, sum(e) AS e, sum(j) AS j, sum(g) AS g FROM changes GROUP BY day
                ), countries AS (
                    SELECT day, sum(change) AS change FROM presence GROUP BY day
                )
                SELECT day AS as_of, clusters, countries, emissions, jobs, gdp FROM (
                    SELECT day, d.c, d.e, d.j, d.g, n.change, sum(d.c) OVER o AS clusters,
                           sum(n.change) OVER o AS countries, sum(d.e) OVER o AS emissions,
                           sum(d.j) OVER o AS jobs, sum(d.g) OVER o AS gdp
                    FROM daily d JOIN countries n USING (day) WINDOW o AS (ORDER BY day)) cumulative
                WHERE c <> 0 OR e <> 0 OR j <> 0 OR g <> 0 OR change <> 0
                ORDER BY day""")
                .execute(Tuple.of(Scope.value(scope)))
                .map(rows -> {
                    List<TotalsAsOf> history = new ArrayList<>();
                    rows.forEach(row -> history.add(asOf(scope, row)));
                    return history;
                });
    }

    private static TotalsAsOf asOf(String scope, Row row) {
        return new TotalsAsOf(scope, row.getLocalDate("as_of"), row.getLong("clusters"), row.getLong("countries"),
                row.getBigDecimal("emissions").setScale(3), row.getLong("jobs"), row.getBigDecimal("gdp").setScale(3));
    }
}
