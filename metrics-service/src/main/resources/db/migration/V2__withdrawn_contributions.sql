-- A withdrawn cluster keeps its row (and version, so that older events stay no-ops) but no longer counts.
ALTER TABLE cluster_contribution ADD COLUMN active boolean NOT NULL DEFAULT true;
