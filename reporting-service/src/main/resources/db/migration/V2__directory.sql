-- The directory: each cluster as of the newest event of cluster-events applied for it (version). Its dates also give
-- the coalition's totals as of any day: the clusters that had joined by then and not yet withdrawn.
CREATE TABLE cluster_entry (
    cluster_id                      uuid PRIMARY KEY,
    version                         integer        NOT NULL,
    name                            varchar(200),
    country                         char(2)        NOT NULL,
    region                          varchar(32),
    sectors                         varchar(32)[]  NOT NULL,
    port_anchored                   boolean,
    joined_on                       date           NOT NULL,
    withdrawn_on                    date,
    emissions_reduction_mt_per_year numeric(12, 3) NOT NULL,
    jobs                            bigint         NOT NULL,
    gdp_usd_bn                      numeric(12, 3) NOT NULL,
    figures_basis                   varchar(500),
    last_event_id                   varchar(64),
    joined_seq                      bigserial
);
CREATE INDEX cluster_entry_joined ON cluster_entry (joined_on, joined_seq);
