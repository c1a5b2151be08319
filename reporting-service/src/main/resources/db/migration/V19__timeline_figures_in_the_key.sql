-- The totals as of a date read a kind of scope's months before the date and its days up to it: some 10,000 rows for
-- the countries at a million clusters. The timeline writes them in the order the events come, so they lay on most of
-- the table's pages: 3,855 of some 4,000 pages read for one date, 75 ms when they were not cached, 7 to 10 ms when they
-- were (benchmarks/roster-growth.sh: GET /coalition/countries?asOf=D p99 98.6 ms). The key now carries the figures, so
-- those reads scan two ranges of it alone (Timeline.AS_OF): 95 pages, 10 ms and 3 ms. Writing 20,000 entries, the
-- timeline's rows in the key cost 13.4 s against 13.3 s before (median of three).
ALTER TABLE scope_period DROP CONSTRAINT scope_period_pkey,
    ADD CONSTRAINT scope_period_pkey PRIMARY KEY (kind, period, starts, name)
        INCLUDE (clusters, emissions_reduction_mt_per_year, jobs, gdp_usd_bn);

-- V16's, writing the months and days in the key's order: its 417,204 rows for a million clusters in 3.5 s rather than
-- 4.2 s, and the rows of a range together on the table's pages until a vacuum lets reads skip them.
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
    HAVING sum(clusters) <> 0 OR sum(emissions) <> 0 OR sum(jobs) <> 0 OR sum(gdp) <> 0
    ORDER BY kind, p.period, starts, name;
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
