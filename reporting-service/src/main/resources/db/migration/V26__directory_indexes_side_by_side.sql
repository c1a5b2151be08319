-- V18 built the directory's five indexes one after the other: 8 s after the timeline at a million entries, half of it
-- the trigram index of the names, a GIN index, which PostgreSQL 15 builds in one process. Now that index and the four
-- others are built in two transactions side by side (TimelineReplay), each under a lock of its own. A write to the
-- directory that comes while one builds makes the other wait behind it: they are built one after the other, as before.

-- Builds the directory's search index (search) or its four filter indexes (not search) that are missing, unless a
-- replay waits (its end builds them). True when it built any. Each kind one at a time: consumers starting together
-- would otherwise create the same index twice, and all but one fail.
DROP FUNCTION directory_indexes_build();
CREATE FUNCTION directory_indexes_build(search boolean) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    wanted text[] := CASE WHEN search THEN ARRAY['cluster_entry_name_key_trigrams']
        ELSE ARRAY['cluster_entry_joined', 'cluster_entry_country', 'cluster_entry_region', 'cluster_entry_sectors'] END;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('directory_indexes_build'), search::integer);
    IF EXISTS (SELECT 1 FROM timeline_replay) OR (SELECT count(*) FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename = 'cluster_entry' AND indexname = ANY (wanted))
            = cardinality(wanted) THEN
        RETURN false;
    END IF;
    IF search THEN
        CREATE INDEX IF NOT EXISTS cluster_entry_name_key_trigrams ON cluster_entry USING gin (name_key gin_trgm_ops);
    ELSE
        CREATE INDEX IF NOT EXISTS cluster_entry_joined ON cluster_entry (joined_on, joined_seq);
        CREATE INDEX IF NOT EXISTS cluster_entry_country ON cluster_entry (country, joined_on, joined_seq);
        CREATE INDEX IF NOT EXISTS cluster_entry_region ON cluster_entry (region, joined_on, joined_seq);
        CREATE INDEX IF NOT EXISTS cluster_entry_sectors ON cluster_entry USING gin (sectors);
    END IF;
    RETURN true;
END;
$$;
