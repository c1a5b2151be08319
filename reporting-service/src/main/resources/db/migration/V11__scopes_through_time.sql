-- Every scope of the totals through time, as V6 and V10 kept the coalition's alone: the coalition, and each country,
-- region, sector and cohort (year of joining) of the breakdowns, so that a breakdown as of any date reads a few
-- thousand rows rather than the directory. One rule, V9's: a cluster counts in its scopes from the day it joined until
-- the day it withdrew (one that withdrew before it joined, on no day). A scope is a kind and a name, as
-- metrics-service names it "<kind>:<name>" ('coalition' has the name '').

-- What a scope's totals change by on each day, and in each month (the same changes summed by month): the totals at the
-- end of a day are its month's days up to it added to the months before.
CREATE TABLE scope_period (
    kind                            varchar(16)    NOT NULL,
    name                            varchar(32)    NOT NULL,
    period                          varchar(5)     NOT NULL CHECK (period IN ('day', 'month')),
    starts                          date           NOT NULL,
    clusters                        bigint         NOT NULL,
    emissions_reduction_mt_per_year numeric(15, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(15, 3) NOT NULL,
    PRIMARY KEY (kind, period, starts, name)
);

-- A scope's clusters in each country, by day, and the spans of days in which the country has one there (until the
-- day before until_day; null: still): a scope's countries as of a day are the spans that hold it.
CREATE TABLE scope_country_day (
    kind     varchar(16) NOT NULL,
    name     varchar(32) NOT NULL,
    country  char(2)     NOT NULL,
    day      date        NOT NULL,
    clusters bigint      NOT NULL,
    PRIMARY KEY (kind, name, country, day)
);

CREATE TABLE scope_country_span (
    kind      varchar(16) NOT NULL,
    name      varchar(32) NOT NULL,
    country   char(2)     NOT NULL,
    from_day  date        NOT NULL,
    until_day date,
    PRIMARY KEY (kind, name, country, from_day)
);

-- The scopes an entry counts in.
CREATE FUNCTION entry_scopes(entry cluster_entry) RETURNS TABLE (kind varchar, name varchar) LANGUAGE sql IMMUTABLE AS $$
    SELECT 'coalition', ''
    UNION ALL SELECT 'country', entry.country
    UNION ALL SELECT 'region', entry.region WHERE entry.region IS NOT NULL
    UNION ALL SELECT 'cohort', extract(year FROM entry.joined_on)::text
    UNION ALL SELECT 'sector', sector FROM unnest(entry.sectors) sector;
$$;

-- What entries leaving the directory (before) and coming into it (after) change each scope's totals by, per country
-- and day.
CREATE TYPE scope_change AS (kind varchar, name varchar, country char(2), day date, clusters bigint,
    emissions numeric, jobs bigint, gdp numeric);

CREATE FUNCTION scope_changes(before cluster_entry[], after cluster_entry[]) RETURNS SETOF scope_change
    LANGUAGE sql AS $$
    SELECT s.kind, s.name, c.country, c.day, sum(c.clusters), sum(c.emissions), sum(c.jobs), sum(c.gdp)
    FROM (
        SELECT a AS entry, a.country, a.joined_on AS day, 1 AS clusters, a.emissions_reduction_mt_per_year AS emissions,
               a.jobs, a.gdp_usd_bn AS gdp
        FROM unnest(after) a
        UNION ALL
        SELECT a, a.country, greatest(a.withdrawn_on, a.joined_on), -1, -a.emissions_reduction_mt_per_year, -a.jobs,
               -a.gdp_usd_bn
        FROM unnest(after) a WHERE a.withdrawn_on IS NOT NULL
        UNION ALL
        SELECT b, b.country, b.joined_on, -1, -b.emissions_reduction_mt_per_year, -b.jobs, -b.gdp_usd_bn
        FROM unnest(before) b
        UNION ALL
        SELECT b, b.country, greatest(b.withdrawn_on, b.joined_on), 1, b.emissions_reduction_mt_per_year, b.jobs,
               b.gdp_usd_bn
        FROM unnest(before) b WHERE b.withdrawn_on IS NOT NULL) c
    CROSS JOIN LATERAL entry_scopes(c.entry) s
    GROUP BY s.kind, s.name, c.country, c.day;
$$;

-- A scope's spans in a country, read again from its days: where its running count of clusters turns positive, and
-- where it falls back to zero.
CREATE FUNCTION scope_country_spans(kind varchar, name varchar, country char(2)) RETURNS void LANGUAGE sql AS $$
    DELETE FROM scope_country_span s WHERE s.kind = scope_country_spans.kind AND s.name = scope_country_spans.name
        AND s.country = scope_country_spans.country;
    INSERT INTO scope_country_span (kind, name, country, from_day, until_day)
    SELECT scope_country_spans.kind, scope_country_spans.name, scope_country_spans.country, day, next_day FROM (
        SELECT day, running > 0 AS present, lead(day) OVER (ORDER BY day) AS next_day FROM (
            SELECT day, running, coalesce(lag(running) OVER (ORDER BY day), 0) AS before FROM (
                SELECT c.day, sum(c.clusters) OVER (ORDER BY c.day) AS running
                FROM scope_country_day c WHERE c.kind = scope_country_spans.kind
                    AND c.name = scope_country_spans.name AND c.country = scope_country_spans.country) counted) compared
        WHERE (running > 0) <> (before > 0)) turns
    WHERE present;
$$;

-- Applies the entries' changes to the days and months and to the countries' days, each in the order of its keys (two
-- batches that touch the same rows wait for each other rather than deadlock), and reads again the spans the change may
-- have moved: those of a scope and country an entry left (removed, moved out of the scope or the country, or joined
-- later or withdrew sooner than it did) or reached beyond the spans they have.
CREATE OR REPLACE FUNCTION timeline_follow(before cluster_entry[], after cluster_entry[]) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    changes scope_change[];
    moved_periods scope_period[];
    moved_countries scope_country_day[];
BEGIN
    SELECT array_agg(c) INTO changes FROM scope_changes(before, after) c;

    WITH moved AS (
        INSERT INTO scope_period AS t
        SELECT c.kind, c.name, p.period, date_trunc(p.period, c.day::timestamp)::date AS starts, sum(c.clusters),
               sum(c.emissions), sum(c.jobs), sum(c.gdp)
        FROM unnest(changes) c CROSS JOIN (VALUES ('day'), ('month')) p(period)
        GROUP BY c.kind, c.name, p.period, starts ORDER BY c.kind, c.name, p.period, starts
        ON CONFLICT (kind, name, period, starts) DO UPDATE SET clusters = t.clusters + excluded.clusters,
            emissions_reduction_mt_per_year = t.emissions_reduction_mt_per_year
                + excluded.emissions_reduction_mt_per_year,
            jobs = t.jobs + excluded.jobs, gdp_usd_bn = t.gdp_usd_bn + excluded.gdp_usd_bn
        RETURNING t.*)
    SELECT array_agg(m) INTO moved_periods FROM moved m WHERE m.clusters = 0 AND m.emissions_reduction_mt_per_year = 0
        AND m.jobs = 0 AND m.gdp_usd_bn = 0;
    DELETE FROM scope_period t USING unnest(moved_periods) m
    WHERE t.kind = m.kind AND t.name = m.name AND t.period = m.period AND t.starts = m.starts AND t.clusters = 0;

    WITH moved AS (
        INSERT INTO scope_country_day AS t
        SELECT c.kind, c.name, c.country, c.day, c.clusters FROM unnest(changes) c WHERE c.clusters <> 0
        ORDER BY c.kind, c.name, c.country, c.day
        ON CONFLICT (kind, name, country, day) DO UPDATE SET clusters = t.clusters + excluded.clusters
        RETURNING t.*)
    SELECT array_agg(m) INTO moved_countries FROM moved m WHERE m.clusters = 0;
    DELETE FROM scope_country_day t USING unnest(moved_countries) m
    WHERE t.kind = m.kind AND t.name = m.name AND t.country = m.country AND t.day = m.day AND t.clusters = 0;

    PERFORM scope_country_spans(kind, name, country) FROM (
        SELECT s.kind, s.name, b.country
        FROM unnest(before) b CROSS JOIN LATERAL entry_scopes(b) s
        LEFT JOIN unnest(after) a ON a.cluster_id = b.cluster_id
        WHERE a.cluster_id IS NULL OR NOT (a.country = b.country AND a.joined_on <= b.joined_on
            AND coalesce(a.withdrawn_on, 'infinity') >= coalesce(b.withdrawn_on, 'infinity')
            AND (s.kind, s.name) IN (SELECT * FROM entry_scopes(a)))
        UNION
        SELECT s.kind, s.name, a.country
        FROM unnest(after) a CROSS JOIN LATERAL entry_scopes(a) s
        WHERE NOT EXISTS (SELECT 1 FROM scope_country_span p
            WHERE p.kind = s.kind AND p.name = s.name AND p.country = a.country AND p.from_day <= a.joined_on
            AND coalesce(p.until_day, 'infinity') >= coalesce(a.withdrawn_on, 'infinity'))
        ORDER BY 1, 2, 3) touched;
END;
$$;

CREATE OR REPLACE FUNCTION timeline_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE scope_period, scope_country_day, scope_country_span;
    RETURN NULL;
END;
$$;

DROP FUNCTION timeline_changes(cluster_entry[], cluster_entry[]);
DROP FUNCTION timeline_country_spans(char(2));
DROP TABLE timeline_day, country_day, country_span;

-- A change of an entry's region or sectors moves its scopes too.
CREATE OR REPLACE FUNCTION timeline_follows_changed_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM timeline_follow(array_agg(o::cluster_entry), array_agg(n::cluster_entry))
    FROM old_entries o JOIN new_entries n ON n.cluster_id = o.cluster_id
    WHERE (o.country, o.region, o.sectors, o.joined_on, o.withdrawn_on, o.emissions_reduction_mt_per_year, o.jobs,
            o.gdp_usd_bn)
        IS DISTINCT FROM (n.country, n.region, n.sectors, n.joined_on, n.withdrawn_on,
            n.emissions_reduction_mt_per_year, n.jobs, n.gdp_usd_bn)
    HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

-- The directory as it stands now, 10,000 entries at a time.
SELECT timeline_follow('{}', array_agg(e)) FROM cluster_entry e GROUP BY e.joined_seq / 10000;
