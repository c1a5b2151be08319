-- When the last event a view reflects happened (its ce_time): how fresh it is.
ALTER TABLE scope_view ADD COLUMN last_event_at timestamptz;
