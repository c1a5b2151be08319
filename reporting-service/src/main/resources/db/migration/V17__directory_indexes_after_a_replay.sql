-- Reading a million events again into an emptied directory, the database spent about half its time keeping the
-- directory's search and filter indexes (V2, V7, V8) up to date a row at a time: 7.8 s of 14.9 s for 200,000 entries,
-- against 2.0 s to build them afterwards. While the directory is read again from the start, they wait too: dropped
-- when the replay begins, built when it is over, before the timeline (timeline_replay_reached). Meanwhile reads of the
-- directory scan it, as the replay has not yet filled it anyway.

-- Drops them, unless a reader holds the directory for longer than 5 s: then the replay keeps them up to date instead.
CREATE FUNCTION directory_indexes_wait() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    SET LOCAL lock_timeout = '5s';
    DROP INDEX IF EXISTS cluster_entry_joined, cluster_entry_name_key_trigrams, cluster_entry_country,
        cluster_entry_region, cluster_entry_sectors;
EXCEPTION WHEN lock_not_available THEN
    RAISE WARNING 'The directory''s indexes are kept during the replay: %', SQLERRM;
END;
$$;

-- The indexes as V2, V7 and V8 made them.
CREATE FUNCTION directory_indexes_build() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CREATE INDEX IF NOT EXISTS cluster_entry_joined ON cluster_entry (joined_on, joined_seq);
    CREATE INDEX IF NOT EXISTS cluster_entry_name_key_trigrams ON cluster_entry USING gin (name_key gin_trgm_ops);
    CREATE INDEX IF NOT EXISTS cluster_entry_country ON cluster_entry (country, joined_on, joined_seq);
    CREATE INDEX IF NOT EXISTS cluster_entry_region ON cluster_entry (region, joined_on, joined_seq);
    CREATE INDEX IF NOT EXISTS cluster_entry_sectors ON cluster_entry USING gin (sectors);
END;
$$;

-- V13's, with the indexes built when the replay is over. The directory's table is locked first: a statement of the
-- directory holds it while it waits for the advisory lock (timeline_waits), and building an index waits for those
-- statements, so taking it after the advisory lock could deadlock.
CREATE OR REPLACE FUNCTION timeline_replay_reached(replayed integer, next_offset bigint) RETURNS boolean
    LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE cluster_entry IN SHARE MODE;
    PERFORM pg_advisory_xact_lock(hashtext('timeline_replay'));
    UPDATE timeline_replay SET reached = true WHERE partition = replayed AND until_offset <= next_offset;
    IF NOT EXISTS (SELECT 1 FROM timeline_replay) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM timeline_replay WHERE NOT reached) THEN
        RETURN false;
    END IF;
    DELETE FROM timeline_replay;
    PERFORM directory_indexes_build();
    PERFORM timeline_rebuild();
    RETURN true;
END;
$$;
