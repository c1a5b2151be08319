-- V17 built the directory's search and filter indexes at the end of a replay in the transaction that computes the
-- timeline, before it: the totals as of a date, the history and the directory's count waited for them (15 of the 95 s
-- that rebuilding a million clusters took). Now the end of a replay computes the timeline alone, and TimelineReplay
-- builds the indexes right after it, in a transaction of their own, while the directory answers by scanning.

-- V13's again: without the lock of the directory's table, which only building the indexes in the same transaction
-- needed.
CREATE OR REPLACE FUNCTION timeline_replay_reached(replayed integer, next_offset bigint) RETURNS boolean
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('timeline_replay'));
    UPDATE timeline_replay SET reached = true WHERE partition = replayed AND until_offset <= next_offset;
    IF NOT EXISTS (SELECT 1 FROM timeline_replay) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM timeline_replay WHERE NOT reached) THEN
        RETURN false;
    END IF;
    DELETE FROM timeline_replay;
    PERFORM timeline_rebuild();
    RETURN true;
END;
$$;

-- Builds the indexes that are missing, unless a replay waits (its end builds them): also after a restart that came
-- between the end of a replay and its indexes. True when it built any. One at a time: consumers starting together
-- would otherwise create the same index twice, and all but one fail.
DROP FUNCTION directory_indexes_build();
CREATE FUNCTION directory_indexes_build() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('directory_indexes_build'));
    IF EXISTS (SELECT 1 FROM timeline_replay) OR (SELECT count(*) FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename = 'cluster_entry' AND indexname IN ('cluster_entry_joined',
                'cluster_entry_name_key_trigrams', 'cluster_entry_country', 'cluster_entry_region',
                'cluster_entry_sectors')) = 5 THEN
        RETURN false;
    END IF;
    CREATE INDEX IF NOT EXISTS cluster_entry_joined ON cluster_entry (joined_on, joined_seq);
    CREATE INDEX IF NOT EXISTS cluster_entry_name_key_trigrams ON cluster_entry USING gin (name_key gin_trgm_ops);
    CREATE INDEX IF NOT EXISTS cluster_entry_country ON cluster_entry (country, joined_on, joined_seq);
    CREATE INDEX IF NOT EXISTS cluster_entry_region ON cluster_entry (region, joined_on, joined_seq);
    CREATE INDEX IF NOT EXISTS cluster_entry_sectors ON cluster_entry USING gin (sectors);
    RETURN true;
END;
$$;
