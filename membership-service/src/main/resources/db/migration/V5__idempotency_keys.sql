-- Idempotency-Key of a join, stored in the join's transaction: a retry with the same key and body gets the original
-- answer, the same key with another body is refused.
CREATE TABLE join_idempotency_key (
    key          varchar(200) PRIMARY KEY,
    request_hash char(64)     NOT NULL,
    cluster_id   uuid         NOT NULL REFERENCES cluster (id),
    created_at   timestamptz  NOT NULL
);
