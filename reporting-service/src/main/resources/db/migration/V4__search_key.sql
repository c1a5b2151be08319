-- GET /clusters?q= ignores case and accents: "cadiz" finds "Bahía de Cádiz". The database folds the stored names
-- and the query the same way: compatibility decomposition (NFKD: "ﬁ" is "fi", "Å" is "A" and a ring), the combining
-- marks removed, lower case.
CREATE FUNCTION search_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(regexp_replace(normalize(name, NFKD),
                   '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g')) $$;

ALTER TABLE cluster_entry ADD COLUMN name_key text GENERATED ALWAYS AS (search_key(name)) STORED;
