-- Totals per scope with an effective-date history, applied in batches together with the consumer position.
-- The earlier tables cannot be converted (they lack sectors and dates), and need not be: with no stored position
-- the service reads cluster-events from its start and rebuilds everything.
DROP TABLE cluster_contribution;
DROP TABLE scope_totals;

-- What each cluster adds, as of the newest event applied for it (version): older and repeated events are no-ops.
CREATE TABLE cluster_contribution (
    cluster_id                      uuid PRIMARY KEY,
    version                         integer        NOT NULL,
    country                         char(2)        NOT NULL,
    region                          varchar(32)    NOT NULL,
    sectors                         text[]         NOT NULL,
    joined_on                       date           NOT NULL,
    withdrawn_on                    date,
    emissions_reduction_mt_per_year numeric(12, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(12, 3) NOT NULL,
    last_event_id                   varchar(64)
);

-- Versions of published totals come from one sequence, which a rebuild keeps: readers that keep the highest version
-- per scope then take the rebuilt totals too.
CREATE SEQUENCE totals_version;

-- The current totals per scope: 'coalition', 'country:GB', 'region:EUROPE', 'sector:STEEL', 'cohort:2025'.
CREATE TABLE scope_totals (
    scope                           varchar(64) PRIMARY KEY,
    clusters                        bigint         NOT NULL,
    countries                       bigint         NOT NULL,
    emissions_reduction_mt_per_year numeric(15, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(15, 3) NOT NULL,
    version                         bigint         NOT NULL,
    last_event_id                   varchar(64),
    updated_at                      timestamptz    NOT NULL
);

-- Current clusters per scope and country: a scope's distinct countries are those with clusters > 0.
CREATE TABLE scope_country (
    scope    varchar(64) NOT NULL,
    country  char(2)     NOT NULL,
    clusters bigint      NOT NULL,
    PRIMARY KEY (scope, country)
);

-- The effective-date history: the net change per scope and country on each day. The totals as of a date are the
-- sums up to it, so an event with an old date that arrives late changes one row, not every later one.
CREATE TABLE scope_day (
    scope                           varchar(64)    NOT NULL,
    country                         char(2)        NOT NULL,
    day                             date           NOT NULL,
    clusters                        bigint         NOT NULL,
    emissions_reduction_mt_per_year numeric(15, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(15, 3) NOT NULL,
    PRIMARY KEY (scope, country, day)
);

-- The next offset to apply per partition, committed in the transaction that applied the records before it.
CREATE TABLE consumer_position (
    topic       varchar(255) NOT NULL,
    partition   integer      NOT NULL,
    next_offset bigint       NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- A rebuild: forget every total and position (not the version sequence); the service then replays cluster-events.
CREATE FUNCTION forget_totals() RETURNS void LANGUAGE sql AS $$
    TRUNCATE cluster_contribution, scope_totals, scope_country, scope_day, consumer_position;
$$;
