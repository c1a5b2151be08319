-- GET /clusters?q= finds a part of the folded name anywhere in it (name_key LIKE '%...%'), which no B-tree can serve:
-- trigrams can, so a search reads the entries that share the query's trigrams, not the whole directory.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cluster_entry_name_key_trigrams ON cluster_entry USING gin (name_key gin_trgm_ops);
