-- The transactional outbox: every event is written in the same transaction as the change it announces, and the
-- relay publishes unsent ones to Kafka in id order, then sets sent_at. Nothing is published for a rolled-back change.
CREATE TABLE outbox_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid         NOT NULL UNIQUE,
    cluster_id  uuid         NOT NULL,
    type        varchar(100) NOT NULL,
    data_schema varchar(200) NOT NULL,
    payload     text         NOT NULL,
    occurred_at timestamptz  NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX outbox_event_pending ON outbox_event (id) WHERE sent_at IS NULL;
