-- At the end of a replay of a million clusters the months and days took 10-11 s on the first connection while the
-- spans took 4 s on the second (V21), which then waited. Now the second computes the sectors' months and days after the
-- spans (at a million synthetic clusters, a third of the work), and the first those of every other scope.
-- Both read the same directory (V21 says why), and the first writes what the second read. The days are no longer
-- grouped a second time: each scope's day is one row of its sums already.

-- The months and days of the sectors' scopes (of_sectors) or of every other scope, computed from the whole directory by
-- V19's rule. Not typed as scope_period's rows: that would take a lock on the table, which the first connection holds
-- from its truncation to its commit, and the two would wait for each other for ever.
CREATE FUNCTION timeline_periods(of_sectors boolean) RETURNS TABLE (kind varchar, name varchar, period varchar,
    starts date, clusters bigint, emissions_reduction_mt_per_year numeric, jobs bigint, gdp_usd_bn numeric)
    LANGUAGE sql STABLE AS $$
    WITH scope_day AS (
        SELECT s.kind, s.name, c.day, sum(c.clusters) AS clusters, sum(c.emissions) AS emissions, sum(c.jobs) AS jobs,
               sum(c.gdp) AS gdp
        FROM (
            SELECT e AS entry, e.joined_on AS day, 1 AS clusters, e.emissions_reduction_mt_per_year AS emissions,
                   e.jobs, e.gdp_usd_bn AS gdp
            FROM cluster_entry e
            UNION ALL
            SELECT e, greatest(e.withdrawn_on, e.joined_on), -1, -e.emissions_reduction_mt_per_year, -e.jobs,
                   -e.gdp_usd_bn
            FROM cluster_entry e WHERE e.withdrawn_on IS NOT NULL) c
        CROSS JOIN LATERAL entry_scopes(c.entry) s
        WHERE (s.kind = 'sector') = of_sectors
        GROUP BY s.kind, s.name, c.day)
    SELECT kind, name, 'day', day, clusters, emissions, jobs, gdp FROM scope_day
    WHERE clusters <> 0 OR emissions <> 0 OR jobs <> 0 OR gdp <> 0
    UNION ALL
    SELECT kind, name, 'month', date_trunc('month', day::timestamp)::date AS starts, sum(clusters), sum(emissions),
           sum(jobs), sum(gdp)
    FROM scope_day
    GROUP BY kind, name, starts
    HAVING sum(clusters) <> 0 OR sum(emissions) <> 0 OR sum(jobs) <> 0 OR sum(gdp) <> 0;
$$;

-- The months and days replaced by those of every scope but the sectors; timeline_periods_add adds the sectors'.
CREATE OR REPLACE FUNCTION timeline_periods_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE scope_period;
    INSERT INTO scope_period SELECT * FROM timeline_periods(false) ORDER BY kind, period, starts, name;
END;
$$;

-- Months and days added, a column each (figures as text, exactly): timeline_periods(true)'s rows, as the second
-- connection read them.
CREATE FUNCTION timeline_periods_add(kinds varchar[], names varchar[], periods varchar[], starts date[],
    clusters int8[], emissions text[], jobs int8[], gdp text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO scope_period
    SELECT kind, name, period, day, counted, emitted::numeric, employed, produced::numeric
    FROM unnest(kinds, names, periods, starts, clusters, emissions, jobs, gdp)
        AS p(kind, name, period, day, counted, emitted, employed, produced);
$$;
