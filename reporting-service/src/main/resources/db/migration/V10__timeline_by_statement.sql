-- The timeline follows the directory a statement at a time rather than a row at a time: the directory now takes a
-- batch of events in one statement, and a row trigger moved each day's totals once per cluster, holding the rows of
-- up to every day of the batch's joins until it committed, in the order the clusters came. A statement's changes are
-- summed per day and per country first, then applied in the order of their keys, so that two batches that touch the
-- same days wait for each other rather than deadlock. The rule is V9's: a cluster counts from the day it joined until
-- the day it withdrew, and one that withdrew before it joined on no day.

-- What a set of entries leaving the directory (before) and coming into it (after) changes each country's totals by,
-- on each day.
CREATE FUNCTION timeline_changes(before cluster_entry[], after cluster_entry[])
    RETURNS TABLE (country char(2), day date, clusters bigint, emissions numeric, jobs bigint, gdp numeric)
    LANGUAGE sql AS $$
    SELECT country, day, sum(clusters), sum(emissions), sum(jobs), sum(gdp) FROM (
        SELECT a.country, a.joined_on AS day, 1 AS clusters, a.emissions_reduction_mt_per_year AS emissions, a.jobs,
               a.gdp_usd_bn AS gdp
        FROM unnest(after) a
        UNION ALL
        SELECT a.country, greatest(a.withdrawn_on, a.joined_on), -1, -a.emissions_reduction_mt_per_year, -a.jobs,
               -a.gdp_usd_bn
        FROM unnest(after) a WHERE a.withdrawn_on IS NOT NULL
        UNION ALL
        SELECT b.country, b.joined_on, -1, -b.emissions_reduction_mt_per_year, -b.jobs, -b.gdp_usd_bn
        FROM unnest(before) b
        UNION ALL
        SELECT b.country, greatest(b.withdrawn_on, b.joined_on), 1, b.emissions_reduction_mt_per_year, b.jobs,
               b.gdp_usd_bn
        FROM unnest(before) b WHERE b.withdrawn_on IS NOT NULL) changes
    GROUP BY country, day;
$$;

-- Applies the entries' changes to the days, and reads again the spans of each country the change may have moved: one
-- that an entry left (removed, moved to another country, or joined later or withdrew sooner than it did) or reached
-- beyond the spans it has.
CREATE FUNCTION timeline_follow(before cluster_entry[], after cluster_entry[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    days date[];
    country_days char(2)[];
BEGIN
    WITH moved AS (
        INSERT INTO timeline_day AS t
        SELECT c.day, sum(c.clusters), sum(c.emissions), sum(c.jobs), sum(c.gdp)
        FROM timeline_changes(before, after) c GROUP BY c.day ORDER BY c.day
        ON CONFLICT (day) DO UPDATE SET clusters = t.clusters + excluded.clusters,
            emissions_reduction_mt_per_year = t.emissions_reduction_mt_per_year
                + excluded.emissions_reduction_mt_per_year,
            jobs = t.jobs + excluded.jobs, gdp_usd_bn = t.gdp_usd_bn + excluded.gdp_usd_bn
        RETURNING t.day)
    SELECT array_agg(day) INTO days FROM moved;
    DELETE FROM timeline_day t WHERE t.day = ANY (days) AND t.clusters = 0
        AND t.emissions_reduction_mt_per_year = 0 AND t.jobs = 0 AND t.gdp_usd_bn = 0;

    WITH moved AS (
        INSERT INTO country_day AS c
        SELECT d.country, d.day, d.clusters FROM timeline_changes(before, after) d WHERE d.clusters <> 0
        ORDER BY d.country, d.day
        ON CONFLICT (country, day) DO UPDATE SET clusters = c.clusters + excluded.clusters
        RETURNING c.country)
    SELECT array_agg(DISTINCT country) INTO country_days FROM moved;
    DELETE FROM country_day c WHERE c.country = ANY (country_days) AND c.clusters = 0;

    PERFORM timeline_country_spans(country) FROM (
        SELECT b.country FROM unnest(before) b LEFT JOIN unnest(after) a ON a.cluster_id = b.cluster_id
        WHERE a.cluster_id IS NULL OR NOT (a.country = b.country AND a.joined_on <= b.joined_on
            AND coalesce(a.withdrawn_on, 'infinity') >= coalesce(b.withdrawn_on, 'infinity'))
        UNION
        SELECT a.country FROM unnest(after) a WHERE NOT EXISTS (SELECT 1 FROM country_span s
            WHERE s.country = a.country AND s.from_day <= a.joined_on
            AND coalesce(s.until_day, 'infinity') >= coalesce(a.withdrawn_on, 'infinity'))
        ORDER BY 1) touched;
END;
$$;

-- The statement's entries, from its transition tables. An update only of what the totals do not count (a name, a
-- version) moves nothing; nor does an insert that found every cluster present (its updates are the update's).
CREATE FUNCTION timeline_follows_new_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM timeline_follow('{}', array_agg(n::cluster_entry)) FROM new_entries n HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION timeline_follows_removed_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM timeline_follow(array_agg(o::cluster_entry), '{}') FROM old_entries o HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION timeline_follows_changed_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM timeline_follow(array_agg(o::cluster_entry), array_agg(n::cluster_entry))
    FROM old_entries o JOIN new_entries n ON n.cluster_id = o.cluster_id
    WHERE (o.country, o.joined_on, o.withdrawn_on, o.emissions_reduction_mt_per_year, o.jobs, o.gdp_usd_bn)
        IS DISTINCT FROM (n.country, n.joined_on, n.withdrawn_on, n.emissions_reduction_mt_per_year, n.jobs,
            n.gdp_usd_bn)
    HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

DROP TRIGGER timeline_follows_new_and_removed_entries ON cluster_entry;
DROP TRIGGER timeline_follows_changed_entries ON cluster_entry;
DROP FUNCTION timeline_follows_cluster_entry();
DROP FUNCTION timeline_add(char(2), date, integer, numeric, bigint, numeric);

CREATE TRIGGER timeline_follows_new_entries AFTER INSERT ON cluster_entry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_follows_new_entries();
CREATE TRIGGER timeline_follows_removed_entries AFTER DELETE ON cluster_entry
    REFERENCING OLD TABLE AS old_entries
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_follows_removed_entries();
CREATE TRIGGER timeline_follows_changed_entries AFTER UPDATE ON cluster_entry
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_follows_changed_entries();
