-- What each cluster currently adds to the totals; its presence makes a redelivered event a no-op.
CREATE TABLE cluster_contribution (
    cluster_id                      uuid PRIMARY KEY,
    version                         integer        NOT NULL,
    country                         char(2)        NOT NULL,
    emissions_reduction_mt_per_year numeric(12, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(12, 3) NOT NULL,
    last_event_id                   varchar(64)
);

-- The running totals per scope ('coalition' for the whole coalition).
CREATE TABLE scope_totals (
    scope                           varchar(64) PRIMARY KEY,
    clusters                        bigint         NOT NULL,
    countries                       bigint         NOT NULL,
    emissions_reduction_mt_per_year numeric(15, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(15, 3) NOT NULL,
    version                         bigint         NOT NULL,
    last_event_id                   varchar(64),
    updated_at                      timestamptz
);
