-- The directory's consumers write side by side (a partition each), and two of them could move the same country's spans
-- at once: each read the directory without the other's uncommitted entries, so one could leave a span that the other
-- did not delete (a country counted twice, as DirectoryTest once saw), or find its entry inside a span that the other
-- was ending (a member's country not counted). Now a transaction takes a lock on each country its entries were or are
-- in, in the countries' order, before it asks which spans moved and reads them again; it holds them until it commits,
-- so the next one to read a country's spans sees what the last one wrote and the entries it wrote them from.

-- V12's, with the countries' locks before the spans.
CREATE OR REPLACE FUNCTION timeline_apply(before cluster_entry[], after cluster_entry[]) RETURNS void
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

    PERFORM pg_advisory_xact_lock(hashtext('scope_country_span'), hashtext(country)) FROM (
        SELECT b.country FROM unnest(before) b
        UNION
        SELECT a.country FROM unnest(after) a
        ORDER BY 1) countries;

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
