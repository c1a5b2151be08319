-- V13's timeline_rebuild grouped every entry's changes by scope, country and day: at a million clusters, four million
-- groups of numeric sums, and the spans' window functions over all of them (about a minute, most of a rebuild). Now
-- each scope's days are summed without the country (what scope_period keeps), and the spans are read from each
-- entry's days of membership rather than from a running count of every day: an entry that has not withdrawn is a
-- member from the day it joined on, so a scope's last span in a country starts at the earliest such join (or before,
-- where withdrawn entries' days lead up to it without a gap); only withdrawn entries' days can make earlier spans.
-- The same spans as V12's scope_country_spans, by the same rule (entry_scopes).
CREATE OR REPLACE FUNCTION timeline_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE scope_period, scope_country_span;
    CREATE TEMPORARY TABLE scope_day ON COMMIT DROP AS
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
        GROUP BY s.kind, s.name, c.day;
    INSERT INTO scope_period
    SELECT kind, name, p.period, date_trunc(p.period, day::timestamp)::date AS starts, sum(clusters), sum(emissions),
           sum(jobs), sum(gdp)
    FROM scope_day CROSS JOIN (VALUES ('day'), ('month')) p(period)
    GROUP BY kind, name, p.period, starts
    HAVING sum(clusters) <> 0 OR sum(emissions) <> 0 OR sum(jobs) <> 0 OR sum(gdp) <> 0;
    -- Each scope's days of membership in each country ([from, until), until null for ever), then their islands: a
    -- membership that starts after every earlier one has ended (not on the day one ends) starts a span.
    INSERT INTO scope_country_span (kind, name, country, from_day, until_day)
    SELECT kind, name, country, min(from_day), nullif(max(until_day), 'infinity') FROM (
        SELECT kind, name, country, from_day, until_day,
               count(*) FILTER (WHERE starts_span) OVER (PARTITION BY kind, name, country ORDER BY from_day, until_day)
                   AS span
        FROM (
            SELECT kind, name, country, from_day, until_day,
                   coalesce(from_day > max(until_day) OVER (PARTITION BY kind, name, country ORDER BY from_day, until_day
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), true) AS starts_span
            FROM (
                SELECT s.kind, s.name, e.country, min(e.joined_on) AS from_day, 'infinity'::date AS until_day
                FROM cluster_entry e CROSS JOIN LATERAL entry_scopes(e) s
                WHERE e.withdrawn_on IS NULL
                GROUP BY s.kind, s.name, e.country
                UNION ALL
                SELECT s.kind, s.name, e.country, e.joined_on, e.withdrawn_on
                FROM cluster_entry e CROSS JOIN LATERAL entry_scopes(e) s
                WHERE e.withdrawn_on > e.joined_on) memberships) starts) spans
    GROUP BY kind, name, country, span;
END;
$$;
