-- V12's entry_in_scope answered null, not false, for an entry without a region asked about a region: an entry whose
-- region was taken away then seemed still in its old region's scope, and that scope's spans in its country were not
-- read again (a region kept a country it no longer had). Whether an entry counts in a scope is now true or false.
CREATE OR REPLACE FUNCTION entry_in_scope(entry cluster_entry, kind varchar, name varchar) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(CASE kind
        WHEN 'coalition' THEN name = ''
        WHEN 'country' THEN entry.country = name
        WHEN 'region' THEN entry.region = name
        WHEN 'cohort' THEN extract(year FROM entry.joined_on)::text = name
        WHEN 'sector' THEN name = ANY (entry.sectors)
        END, false);
$$;

-- The spans V12 may have left standing: every region's spans read again from the directory.
SELECT scope_country_spans(kind, name, country) FROM (
    SELECT 'region' AS kind, region AS name, country FROM cluster_entry WHERE region IS NOT NULL
    UNION
    SELECT kind, name, country FROM scope_country_span WHERE kind = 'region'
    ORDER BY 1, 2, 3) scopes;
