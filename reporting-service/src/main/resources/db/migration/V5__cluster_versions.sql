-- Every version of every cluster, as its event described it: a cluster's page shows how it came to be as it is.
CREATE TABLE cluster_version (
    id                              bigserial PRIMARY KEY,
    cluster_id                      uuid           NOT NULL,
    version                         integer        NOT NULL,
    change                          varchar(32)    NOT NULL,
    event_id                        varchar(64)    NOT NULL,
    happened_at                     timestamptz,
    joined_on                       date           NOT NULL,
    withdrawn_on                    date,
    emissions_reduction_mt_per_year numeric(12, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(12, 3) NOT NULL,
    figures_basis                   varchar(500),
    UNIQUE (cluster_id, version)
);

-- The directory is read again from cluster-events at the next start (a table found empty is), which fills in the
-- versions of the clusters already in it; the totals' views are untouched.
TRUNCATE cluster_entry;
