-- GET /clusters filters by country, region or sector and pages newest joins first: an index per filter in that order
-- finds a page, and counts the matches up to where counting stops, without reading the rest of the directory.
CREATE INDEX cluster_entry_country ON cluster_entry (country, joined_on, joined_seq);
CREATE INDEX cluster_entry_region ON cluster_entry (region, joined_on, joined_seq);
CREATE INDEX cluster_entry_sectors ON cluster_entry USING gin (sectors);
-- The withdrawn are few: counted on their own, beside the members the timeline counts (V6).
CREATE INDEX cluster_entry_withdrawn ON cluster_entry (withdrawn_on) WHERE withdrawn_on IS NOT NULL;
