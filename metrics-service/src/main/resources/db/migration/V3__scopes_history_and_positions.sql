-- Totals per scope with an effective-date history, applied in batches together with the consumer position.
-- The earlier tables cannot be converted (they lack sectors and dates), and need not be: with no stored position
-- the service reads cluster-events from its start and rebuilds everything.
DROP TABLE cluster_contribution;
DROP TABLE scope_totals;

-- What each cluster adds, as of the newest event applied for it (version): older and repeated events are no-ops.
-- Its dates are also the effective-date history: the totals as of a day are the sums over the clusters that had
-- joined by then and not yet withdrawn, so an event with an old date that arrives late needs no other change.
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

-- The next offset to apply per partition, committed in the transaction that applied the records before it.
CREATE TABLE consumer_position (
    topic       varchar(255) NOT NULL,
    partition   integer      NOT NULL,
    next_offset bigint       NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- A rebuild: forget every total and position (not the version sequence); the service then replays cluster-events.
CREATE FUNCTION forget_totals() RETURNS void LANGUAGE sql AS $$
    TRUNCATE cluster_contribution, scope_totals, scope_country, consumer_position;
$$;
