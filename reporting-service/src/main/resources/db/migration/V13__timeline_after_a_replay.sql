-- When the directory is read again from the start of cluster-events (a new or emptied database), following it a
-- statement at a time cost five times what writing the entries did: a million clusters' replay spent minutes moving
-- each scope's days. While a replay runs, the timeline now waits; once every partition has been read up to where it
-- ended when the replay began, the timeline is computed from the whole directory at once, and follows it again.

-- The partitions of cluster-events being read again, each up to the offset at which it ended when its replay began.
-- While it holds a row, the timeline waits.
CREATE TABLE timeline_replay (
    partition    integer PRIMARY KEY,
    until_offset bigint  NOT NULL,
    reached      boolean NOT NULL DEFAULT false
);

-- Whether the timeline waits for a replay. The lock, shared by every statement that changes the directory and held to
-- the end of its transaction, lets the end of a replay (timeline_replay_reached) wait for the statements that did not
-- follow the directory to commit, so that it counts their entries, and makes those that come after it follow.
CREATE FUNCTION timeline_waits() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('timeline_replay'));
    RETURN EXISTS (SELECT 1 FROM timeline_replay);
END;
$$;

ALTER FUNCTION timeline_follow(cluster_entry[], cluster_entry[]) RENAME TO timeline_apply;

CREATE FUNCTION timeline_follow(before cluster_entry[], after cluster_entry[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT timeline_waits() THEN
        PERFORM timeline_apply(before, after);
    END IF;
END;
$$;

-- The timeline of the whole directory, computed anew: what timeline_apply keeps, by the same rule (entry_scopes), in a
-- few statements over every entry rather than a few rows per entry.
CREATE FUNCTION timeline_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE scope_period, scope_country_span;
    CREATE TEMPORARY TABLE entry_change ON COMMIT DROP AS
        SELECT s.kind, s.name, c.country, c.day, sum(c.clusters) AS clusters, sum(c.emissions) AS emissions,
               sum(c.jobs) AS jobs, sum(c.gdp) AS gdp
        FROM (
            SELECT e AS entry, e.country, e.joined_on AS day, 1 AS clusters,
                   e.emissions_reduction_mt_per_year AS emissions, e.jobs, e.gdp_usd_bn AS gdp
            FROM cluster_entry e
            UNION ALL
            SELECT e, e.country, greatest(e.withdrawn_on, e.joined_on), -1, -e.emissions_reduction_mt_per_year,
                   -e.jobs, -e.gdp_usd_bn
            FROM cluster_entry e WHERE e.withdrawn_on IS NOT NULL) c
        CROSS JOIN LATERAL entry_scopes(c.entry) s
        GROUP BY s.kind, s.name, c.country, c.day;
    INSERT INTO scope_period
    SELECT kind, name, p.period, date_trunc(p.period, day::timestamp)::date AS starts, sum(clusters), sum(emissions),
           sum(jobs), sum(gdp)
    FROM entry_change CROSS JOIN (VALUES ('day'), ('month')) p(period)
    GROUP BY kind, name, p.period, starts
    HAVING sum(clusters) <> 0 OR sum(emissions) <> 0 OR sum(jobs) <> 0 OR sum(gdp) <> 0;
    -- Each scope's spans in each country: where its running count turns positive, and where it falls back to zero.
    INSERT INTO scope_country_span (kind, name, country, from_day, until_day)
    SELECT kind, name, country, day, next_day FROM (
        SELECT kind, name, country, day, running > 0 AS present,
               lead(day) OVER (PARTITION BY kind, name, country ORDER BY day) AS next_day FROM (
            SELECT kind, name, country, day, running,
                   coalesce(lag(running) OVER (PARTITION BY kind, name, country ORDER BY day), 0) AS before FROM (
                SELECT kind, name, country, day,
                       sum(clusters) OVER (PARTITION BY kind, name, country ORDER BY day) AS running
                FROM entry_change WHERE clusters <> 0) counted) compared
        WHERE (running > 0) <> (before > 0)) turns
    WHERE present;
END;
$$;

-- A partition of the replay read up to next_offset. Once every partition has reached its end, the replay is over: the
-- timeline is computed from the whole directory, after every statement that did not follow it has committed. True when
-- this ended the replay, false while it goes on, null when there was none.
CREATE FUNCTION timeline_replay_reached(replayed integer, next_offset bigint) RETURNS boolean
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
