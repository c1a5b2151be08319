-- The directory's consumers deadlocked one another, a few times a second while they took in revisions side by side
-- (DirectoryTest, and the end-to-end StopWhileApplyingTest). V20 locked the countries of each statement's entries in
-- order, but a transaction runs several statements (a round per event of a cluster in a poll's batch; an insert that
-- updates fires the insert and the update triggers), and a later one could need a country that comes before those it
-- held. Each failed batch was retried whole. Every change to the timeline writes the coalition's rows of scope_period
-- (its days and months), so transactions already applied their changes one after the other. Now a transaction takes
-- one lock for the timeline at its first change and holds it until it commits: the same order, without the deadlocks.
-- The directory's own rows are still written side by side, and a replay (V13) takes no lock here.
CREATE OR REPLACE FUNCTION timeline_apply(before cluster_entry[], after cluster_entry[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('timeline_apply'));
    PERFORM timeline_apply_unlocked(before, after);
END;
$$;
