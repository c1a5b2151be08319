-- The newest totals per scope, as received from coalition-totals.
CREATE TABLE scope_view (
    scope                           varchar(64) PRIMARY KEY,
    version                         bigint         NOT NULL,
    clusters                        bigint         NOT NULL,
    countries                       bigint         NOT NULL,
    emissions_reduction_mt_per_year numeric(15, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(15, 3) NOT NULL,
    last_event_id                   varchar(64),
    updated_at                      timestamptz
);
