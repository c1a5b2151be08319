-- A cluster counts from the day it joined until the day it withdrew; one that says it withdrew before it joined (no
-- event the contracts accept says so, but a later version could move its join past its withdrawal) counts on no day,
-- as the plain rule has it. V6 took it away from its withdrawal day on and gave it back on its join day, so between
-- the two the totals fell below what the members add up to. Its withdrawal now counts from its join day at the
-- earliest, and the timeline is read again from the directory.
CREATE OR REPLACE FUNCTION timeline_follows_cluster_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM timeline_add(OLD.country, OLD.joined_on, -1, -OLD.emissions_reduction_mt_per_year, -OLD.jobs,
                             -OLD.gdp_usd_bn);
        IF OLD.withdrawn_on IS NOT NULL THEN
            PERFORM timeline_add(OLD.country, greatest(OLD.withdrawn_on, OLD.joined_on), 1, OLD.emissions_reduction_mt_per_year, OLD.jobs,
                                 OLD.gdp_usd_bn);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM timeline_add(NEW.country, NEW.joined_on, 1, NEW.emissions_reduction_mt_per_year, NEW.jobs,
                             NEW.gdp_usd_bn);
        IF NEW.withdrawn_on IS NOT NULL THEN
            PERFORM timeline_add(NEW.country, greatest(NEW.withdrawn_on, NEW.joined_on), -1, -NEW.emissions_reduction_mt_per_year, -NEW.jobs,
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

TRUNCATE timeline_day, country_day, country_span;
INSERT INTO timeline_day
SELECT day, sum(clusters), sum(emissions), sum(jobs), sum(gdp) FROM (
    SELECT joined_on AS day, 1 AS clusters, emissions_reduction_mt_per_year AS emissions, jobs, gdp_usd_bn AS gdp
    FROM cluster_entry
    UNION ALL
    SELECT greatest(withdrawn_on, joined_on), -1, -emissions_reduction_mt_per_year, -jobs, -gdp_usd_bn
    FROM cluster_entry WHERE withdrawn_on IS NOT NULL) changes
GROUP BY day
HAVING sum(clusters) <> 0 OR sum(emissions) <> 0 OR sum(jobs) <> 0 OR sum(gdp) <> 0;
INSERT INTO country_day
SELECT country, day, sum(clusters) FROM (
    SELECT country, joined_on AS day, 1 AS clusters FROM cluster_entry
    UNION ALL
    SELECT country, greatest(withdrawn_on, joined_on), -1 FROM cluster_entry WHERE withdrawn_on IS NOT NULL) changes
GROUP BY country, day
HAVING sum(clusters) <> 0;
SELECT timeline_country_spans(country) FROM (SELECT DISTINCT country FROM country_day) countries;
