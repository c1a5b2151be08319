-- The trace the change ran in (W3C traceparent), so that the relay's send continues it: the change and its Kafka
-- record then make one trace, though the relay sends later, in another transaction. Null when tracing is off.
ALTER TABLE outbox_event ADD COLUMN trace_parent varchar(55);
