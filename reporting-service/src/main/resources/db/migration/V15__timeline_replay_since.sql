-- When a replay began: a timeline that waits far longer than a replay takes shows as stale totals (Freshness), not as
-- a history that silently stops moving.
ALTER TABLE timeline_replay ADD COLUMN since timestamptz NOT NULL DEFAULT now();
