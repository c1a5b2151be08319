-- The records of cluster-events this service dead-lettered, written in the transaction that moves its position past
-- them, so that reconciliation can say what the totals did not count (the record itself is on cluster-events.dlq).
CREATE TABLE dead_letter (
    topic            varchar(255) NOT NULL,
    partition        integer      NOT NULL,
    record_offset    bigint       NOT NULL,
    record_key       bytea,
    reason           text         NOT NULL,
    dead_lettered_at timestamptz  NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (topic, partition, record_offset)
);

-- A rebuild replays cluster-events from the start, dead-lettering the same records again.
CREATE OR REPLACE FUNCTION forget_totals() RETURNS void LANGUAGE sql AS $$
    TRUNCATE cluster_contribution, scope_totals, scope_country, consumer_position, dead_letter;
$$;
