-- An import the caller asked to run in the background (Prefer: respond-async): how far it got, where any replica can
-- read it, and each row's result once it ended. A replica that stops mid-import leaves it unfinished: the rows it
-- joined stay joined, and an import of the same rows again finds them present.
CREATE TABLE background_import (
    id              uuid PRIMARY KEY,
    rows            integer     NOT NULL,
    done            integer     NOT NULL,
    joined          bigint      NOT NULL,
    already_present bigint      NOT NULL,
    rejected        bigint      NOT NULL,
    failure         text,
    results         text,
    started_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz
);
