-- A cluster is the same if name (ignoring case and accents) and country match: name_key is that normalized name.
ALTER TABLE cluster ADD COLUMN name_key varchar(200);
UPDATE cluster SET name_key = lower(name);
ALTER TABLE cluster ALTER COLUMN name_key SET NOT NULL;
CREATE UNIQUE INDEX cluster_same_name_and_country ON cluster (name_key, country);

-- Where the figures come from, e.g. "apportioned" or "self-reported 2024".
ALTER TABLE cluster ADD COLUMN figures_basis varchar(500);
