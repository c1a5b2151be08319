-- At the end of a replay of a million clusters, V19's timeline_rebuild ran 13 s on one core while the other was idle:
-- the days and months 9.6 s, then the spans 3.5 s, though neither reads what the other writes. Now the replay's end
-- (TimelineReplay) computes them side by side: the months and days in the transaction that ends the replay, the spans
-- by a query on a second connection meanwhile, whose rows that transaction then writes. The second connection writes
-- nothing, so that it never waits for a lock while the first waits for it. It reads what the first does: the first
-- holds the replay's lock, which each statement that changes the directory takes before its transaction commits
-- (timeline_waits), so no entry commits in between.

DROP FUNCTION timeline_replay_reached(integer, bigint);
DROP FUNCTION timeline_rebuild();

-- A partition of the replay read up to next_offset. True when every partition has now reached its end: the replay is
-- over, after every statement that did not follow the timeline has committed, and the caller computes the timeline in
-- this transaction (timeline_periods_rebuild, timeline_spans, timeline_spans_replace). False while the replay goes on,
-- null when there was none.
CREATE FUNCTION timeline_replay_ends(replayed integer, next_offset bigint) RETURNS boolean LANGUAGE plpgsql AS $$
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
    RETURN true;
END;
$$;

-- V19's months and days of every scope, computed anew from the whole directory.
CREATE FUNCTION timeline_periods_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE scope_period;
    CREATE TEMPORARY TABLE scope_day ON COMMIT DROP AS
        SELECT s.kind, s.name, c.day, sum(c.clusters) AS clusters, sum(c.emissions) AS emissions, sum(c.jobs) AS jobs,
               sum(c.gdp) AS gdp
        FROM (
            SELECT e AS entry, e.joined_on AS day, 1 AS clusters, e.emissions_reduction_mt_per_year AS emissions,
                   e.jobs, e.gdp_usd_bn AS gdp
            FROM cluster_entry e
            UNION ALL
            SELECT e, greatest(e.withdrawn_on, e.joined_on), -1, -e.emissions_reduction_mt_per_year, -e.jobs,
                   -e.gdp_usd_bn
            FROM cluster_entry e WHERE e.withdrawn_on IS NOT NULL) c
        CROSS JOIN LATERAL entry_scopes(c.entry) s
        GROUP BY s.kind, s.name, c.day;
    INSERT INTO scope_period
    SELECT kind, name, p.period, date_trunc(p.period, day::timestamp)::date AS starts, sum(clusters), sum(emissions),
           sum(jobs), sum(gdp)
    FROM scope_day CROSS JOIN (VALUES ('day'), ('month')) p(period)
    GROUP BY kind, name, p.period, starts
    HAVING sum(clusters) <> 0 OR sum(emissions) <> 0 OR sum(jobs) <> 0 OR sum(gdp) <> 0
    ORDER BY kind, p.period, starts, name;
END;
$$;

-- V19's spans of every scope in every country, read from the whole directory: each scope's days of membership in each
-- country ([from, until), until null for ever), then their islands: a membership that starts after every earlier one
-- has ended (not on the day one ends) starts a span.
CREATE FUNCTION timeline_spans() RETURNS SETOF scope_country_span LANGUAGE sql STABLE AS $$
    SELECT kind, name, country, min(from_day), nullif(max(until_day), 'infinity') FROM (
        SELECT kind, name, country, from_day, until_day,
               count(*) FILTER (WHERE starts_span) OVER (PARTITION BY kind, name, country ORDER BY from_day, until_day)
                   AS span
        FROM (
            SELECT kind, name, country, from_day, until_day,
                   coalesce(from_day > max(until_day) OVER (PARTITION BY kind, name, country ORDER BY from_day, until_day
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), true) AS starts_span
            FROM (
                SELECT s.kind, s.name, e.country, min(e.joined_on) AS from_day, 'infinity'::date AS until_day
                FROM cluster_entry e CROSS JOIN LATERAL entry_scopes(e) s
                WHERE e.withdrawn_on IS NULL
                GROUP BY s.kind, s.name, e.country
                UNION ALL
                SELECT s.kind, s.name, e.country, e.joined_on, e.withdrawn_on
                FROM cluster_entry e CROSS JOIN LATERAL entry_scopes(e) s
                WHERE e.withdrawn_on > e.joined_on) memberships) starts) spans
    GROUP BY kind, name, country, span;
$$;

-- The spans replaced by those given, a column each: timeline_spans' rows, as the second connection read them.
CREATE FUNCTION timeline_spans_replace(kinds varchar[], names varchar[], countries char(2)[], from_days date[],
    until_days date[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE scope_country_span;
    INSERT INTO scope_country_span (kind, name, country, from_day, until_day)
    SELECT * FROM unnest(kinds, names, countries, from_days, until_days);
END;
$$;
