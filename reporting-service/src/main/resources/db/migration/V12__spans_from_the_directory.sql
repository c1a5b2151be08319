-- V11 kept each scope's clusters per country and day, only to find the spans of days in which a scope has a cluster
-- in a country: four to five rows written for each entry, the greater part of what following the directory cost. The
-- spans of a scope in a country are now read again from that country's entries in the directory, when a change may
-- have moved them: an entry that left them or reached beyond them. Entries that join within a span, as most do once
-- a roster has grown, move none.

-- Whether an entry counts in a scope: the rule of entry_scopes (V11), asked of one scope.
CREATE FUNCTION entry_in_scope(entry cluster_entry, kind varchar, name varchar) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind
        WHEN 'coalition' THEN name = ''
        WHEN 'country' THEN entry.country = name
        WHEN 'region' THEN entry.region = name
        WHEN 'cohort' THEN extract(year FROM entry.joined_on)::text = name
        WHEN 'sector' THEN name = ANY (entry.sectors)
        ELSE false END;
$$;

-- A scope's spans in a country, read again from the country's entries: where its running count of clusters turns
-- positive, and where it falls back to zero (V9's rule: from the day an entry joined until the day it withdrew).
CREATE OR REPLACE FUNCTION scope_country_spans(kind varchar, name varchar, country char(2)) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM scope_country_span s WHERE s.kind = scope_country_spans.kind AND s.name = scope_country_spans.name
        AND s.country = scope_country_spans.country;
    INSERT INTO scope_country_span (kind, name, country, from_day, until_day)
    SELECT scope_country_spans.kind, scope_country_spans.name, scope_country_spans.country, day, next_day FROM (
        SELECT day, running > 0 AS present, lead(day) OVER (ORDER BY day) AS next_day FROM (
            SELECT day, running, coalesce(lag(running) OVER (ORDER BY day), 0) AS before FROM (
                SELECT day, sum(sum(clusters)) OVER (ORDER BY day) AS running FROM (
                    SELECT e.joined_on AS day, 1 AS clusters FROM cluster_entry e
                    WHERE e.country = scope_country_spans.country
                        AND entry_in_scope(e, scope_country_spans.kind, scope_country_spans.name)
                    UNION ALL
                    SELECT greatest(e.withdrawn_on, e.joined_on), -1 FROM cluster_entry e
                    WHERE e.country = scope_country_spans.country AND e.withdrawn_on IS NOT NULL
                        AND entry_in_scope(e, scope_country_spans.kind, scope_country_spans.name)) changes
                GROUP BY day) counted) compared
        WHERE (running > 0) <> (before > 0)) turns
    WHERE present;
$$;

-- V11's, without the countries' days.
CREATE OR REPLACE FUNCTION timeline_follow(before cluster_entry[], after cluster_entry[]) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    moved_periods scope_period[];
BEGIN
    WITH moved AS (
        INSERT INTO scope_period AS t
        SELECT c.kind, c.name, p.period, date_trunc(p.period, c.day::timestamp)::date AS starts, sum(c.clusters),
               sum(c.emissions), sum(c.jobs), sum(c.gdp)
        FROM scope_changes(before, after) c CROSS JOIN (VALUES ('day'), ('month')) p(period)
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

    PERFORM scope_country_spans(kind, name, country) FROM (
        SELECT s.kind, s.name, b.country
        FROM unnest(before) b CROSS JOIN LATERAL entry_scopes(b) s
        LEFT JOIN unnest(after) a ON a.cluster_id = b.cluster_id
        WHERE a.cluster_id IS NULL OR NOT (a.country = b.country AND a.joined_on <= b.joined_on
            AND coalesce(a.withdrawn_on, 'infinity') >= coalesce(b.withdrawn_on, 'infinity')
            AND entry_in_scope(a, s.kind, s.name))
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
    TRUNCATE scope_period, scope_country_span;
    RETURN NULL;
END;
$$;

DROP TABLE scope_country_day;
