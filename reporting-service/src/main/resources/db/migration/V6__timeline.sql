-- The coalition's totals through time, kept as the directory changes rather than summed from it on every request: a
-- cluster counts from the day it joined until the day it withdrew, so the members add up to new totals only on those
-- days. The database keeps these tables in step with cluster_entry, in the same transaction as each change of it
-- (the triggers at the end), whoever makes the change and in whatever order the events arrive.

-- What the totals change by on each day: the sum of the rows up to a day is the totals at its end.
CREATE TABLE timeline_day (
    day                             date PRIMARY KEY,
    clusters                        bigint         NOT NULL,
    emissions_reduction_mt_per_year numeric(15, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(15, 3) NOT NULL
);

-- The same for each country's number of clusters: a country counts while it has one.
CREATE TABLE country_day (
    country  char(2) NOT NULL,
    day      date    NOT NULL,
    clusters bigint  NOT NULL,
    PRIMARY KEY (country, day)
);

-- The spans of days in which a country has members, from from_day until the day before until_day (null: still).
-- The coalition's countries as of a day are the spans that hold it: a few hundred rows, whatever the roster's size.
CREATE TABLE country_span (
    country   char(2) NOT NULL,
    from_day  date    NOT NULL,
    until_day date,
    PRIMARY KEY (country, from_day)
);

-- Moves the totals of a day, and the country's clusters on it, by what one cluster adds (or takes away).
CREATE FUNCTION timeline_add(country char(2), day date, clusters integer, emissions numeric, jobs bigint,
                             gdp numeric) RETURNS void LANGUAGE sql AS $$
    INSERT INTO timeline_day AS t VALUES (day, clusters, emissions, jobs, gdp)
        ON CONFLICT (day) DO UPDATE SET clusters = t.clusters + excluded.clusters,
            emissions_reduction_mt_per_year = t.emissions_reduction_mt_per_year
                + excluded.emissions_reduction_mt_per_year,
            jobs = t.jobs + excluded.jobs, gdp_usd_bn = t.gdp_usd_bn + excluded.gdp_usd_bn;
    DELETE FROM timeline_day t WHERE t.day = timeline_add.day AND t.clusters = 0
        AND t.emissions_reduction_mt_per_year = 0 AND t.jobs = 0 AND t.gdp_usd_bn = 0;
    INSERT INTO country_day AS c VALUES (country, day, clusters)
        ON CONFLICT (country, day) DO UPDATE SET clusters = c.clusters + excluded.clusters;
    DELETE FROM country_day c WHERE c.country = timeline_add.country AND c.day = timeline_add.day
        AND c.clusters = 0;
$$;

-- A country's spans, read again from its days: where its running count of clusters turns positive, and where it
-- falls back to zero.
CREATE FUNCTION timeline_country_spans(country char(2)) RETURNS void LANGUAGE sql AS $$
    DELETE FROM country_span s WHERE s.country = timeline_country_spans.country;
    INSERT INTO country_span (country, from_day, until_day)
    SELECT timeline_country_spans.country, day, next_day FROM (
        SELECT day, running > 0 AS present, lead(day) OVER (ORDER BY day) AS next_day FROM (
            SELECT day, running, coalesce(lag(running) OVER (ORDER BY day), 0) AS before FROM (
                SELECT c.day, sum(c.clusters) OVER (ORDER BY c.day) AS running
                FROM country_day c WHERE c.country = timeline_country_spans.country) counted) compared
        WHERE (running > 0) <> (before > 0)) turns
    WHERE present;
$$;

-- One cluster's change in the directory: its old contribution goes, its new one comes. A country's spans are read
-- again only when the cluster leaves days that no longer hold it, or reaches days that no span holds yet: a join
-- into a country that already had members that day changes none.
CREATE FUNCTION timeline_follows_cluster_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM timeline_add(OLD.country, OLD.joined_on, -1, -OLD.emissions_reduction_mt_per_year, -OLD.jobs,
                             -OLD.gdp_usd_bn);
        IF OLD.withdrawn_on IS NOT NULL THEN
            PERFORM timeline_add(OLD.country, OLD.withdrawn_on, 1, OLD.emissions_reduction_mt_per_year, OLD.jobs,
                                 OLD.gdp_usd_bn);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM timeline_add(NEW.country, NEW.joined_on, 1, NEW.emissions_reduction_mt_per_year, NEW.jobs,
                             NEW.gdp_usd_bn);
        IF NEW.withdrawn_on IS NOT NULL THEN
            PERFORM timeline_add(NEW.country, NEW.withdrawn_on, -1, -NEW.emissions_reduction_mt_per_year, -NEW.jobs,
                                 -NEW.gdp_usd_bn);
        END IF;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NOT (NEW.country = OLD.country AND NEW.joined_on <= OLD.joined_on
            AND coalesce(NEW.withdrawn_on, 'infinity') >= coalesce(OLD.withdrawn_on, 'infinity'))) THEN
        PERFORM timeline_country_spans(OLD.country);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT EXISTS (SELECT 1 FROM country_span s WHERE s.country = NEW.country
            AND s.from_day <= NEW.joined_on
            AND coalesce(s.until_day, 'infinity') >= coalesce(NEW.withdrawn_on, 'infinity')) THEN
        PERFORM timeline_country_spans(NEW.country);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION timeline_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE timeline_day, country_day, country_span;
    RETURN NULL;
END;
$$;

-- The directory as it stands now, then every change of it.
INSERT INTO timeline_day
SELECT day, sum(clusters), sum(emissions), sum(jobs), sum(gdp) FROM (
    SELECT joined_on AS day, 1 AS clusters, emissions_reduction_mt_per_year AS emissions, jobs, gdp_usd_bn AS gdp
    FROM cluster_entry
    UNION ALL
    SELECT withdrawn_on, -1, -emissions_reduction_mt_per_year, -jobs, -gdp_usd_bn
    FROM cluster_entry WHERE withdrawn_on IS NOT NULL) changes
GROUP BY day
HAVING sum(clusters) <> 0 OR sum(emissions) <> 0 OR sum(jobs) <> 0 OR sum(gdp) <> 0;
INSERT INTO country_day
SELECT country, day, sum(clusters) FROM (
    SELECT country, joined_on AS day, 1 AS clusters FROM cluster_entry
    UNION ALL
    SELECT country, withdrawn_on, -1 FROM cluster_entry WHERE withdrawn_on IS NOT NULL) changes
GROUP BY country, day
HAVING sum(clusters) <> 0;
SELECT timeline_country_spans(country) FROM (SELECT DISTINCT country FROM country_day) countries;

CREATE TRIGGER timeline_follows_new_and_removed_entries AFTER INSERT OR DELETE ON cluster_entry
    FOR EACH ROW EXECUTE FUNCTION timeline_follows_cluster_entry();
CREATE TRIGGER timeline_follows_changed_entries AFTER UPDATE ON cluster_entry
    FOR EACH ROW WHEN (OLD.country IS DISTINCT FROM NEW.country OR OLD.joined_on IS DISTINCT FROM NEW.joined_on
        OR OLD.withdrawn_on IS DISTINCT FROM NEW.withdrawn_on
        OR OLD.emissions_reduction_mt_per_year IS DISTINCT FROM NEW.emissions_reduction_mt_per_year
        OR OLD.jobs IS DISTINCT FROM NEW.jobs OR OLD.gdp_usd_bn IS DISTINCT FROM NEW.gdp_usd_bn)
    EXECUTE FUNCTION timeline_follows_cluster_entry();
CREATE TRIGGER timeline_forgets_with_the_directory AFTER TRUNCATE ON cluster_entry
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_forget();
