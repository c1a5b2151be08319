-- The roster: one row per cluster that joined the coalition.
CREATE TABLE cluster (
    id                              uuid PRIMARY KEY,
    name                            varchar(200)  NOT NULL,
    country                         char(2)       NOT NULL,
    joined_on                       date          NOT NULL,
    sectors                         varchar(32)[] NOT NULL,
    port_anchored                   boolean,
    emissions_reduction_mt_per_year numeric(12, 3) NOT NULL CHECK (emissions_reduction_mt_per_year >= 0),
    jobs                            bigint        NOT NULL CHECK (jobs >= 0),
    gdp_usd_bn                      numeric(12, 3) NOT NULL CHECK (gdp_usd_bn >= 0),
    version                         integer       NOT NULL,
    recorded_at                     timestamptz   NOT NULL
);
