-- The directory's consumers write side by side (a partition each), and two of them could move the same country's spans
-- at once: each read the directory without the other's uncommitted entries, so one could leave a span that the other
-- did not delete (a country counted twice, as DirectoryTest once saw), or find its entry inside a span that the other
-- was ending (a member's country not counted). Now a transaction takes a lock on each country its entries were or are
-- in, in the countries' order, before it applies them (V12's function, unchanged); it holds them until it commits, so
-- the next one to read a country's spans sees what the last one wrote and the entries it wrote them from.
ALTER FUNCTION timeline_apply(cluster_entry[], cluster_entry[]) RENAME TO timeline_apply_unlocked;

CREATE FUNCTION timeline_apply(before cluster_entry[], after cluster_entry[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('scope_country_span'), hashtext(country)) FROM (
        SELECT b.country FROM unnest(before) b
        UNION
        SELECT a.country FROM unnest(after) a
        ORDER BY 1) countries;
    PERFORM timeline_apply_unlocked(before, after);
END;
$$;
