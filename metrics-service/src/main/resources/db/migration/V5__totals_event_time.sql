-- When the last event the totals reflect happened (its ce_time): readers show how fresh the totals are.
ALTER TABLE scope_totals ADD COLUMN last_event_at timestamptz;
