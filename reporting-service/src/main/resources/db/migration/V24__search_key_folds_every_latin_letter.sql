-- V4's fold left two kinds of names unfound:
-- - letters that Unicode does not decompose into a base and a mark: "lodz" did not find "Łódź", nor "oresund"
--   "Øresund", nor "strasse" "Straße". They fold now as PostgreSQL's unaccent rules fold them.
-- - in a database whose LC_CTYPE is C, where lower() changes only A-Z, any capital outside ASCII: "ΑΘΗΝΑ" stayed in
--   capitals. The case is now folded by ICU's rules, whatever the database's locale.
-- Lower case first, so that a capital such as "İ" decomposes with the rest.
CREATE OR REPLACE FUNCTION search_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT replace(replace(replace(replace(translate(
                   regexp_replace(normalize(lower(name COLLATE "und-x-icu"), NFKD),
                       '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'),
                   'łøđðħıŧƀƚɨʉ', 'loddhitbliu'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th') $$;

-- The stored keys were folded by the old function: the column is made again, and with it its index (by V18's
-- function, which leaves it to a replay's end if one is under way).
ALTER TABLE cluster_entry DROP COLUMN name_key;
ALTER TABLE cluster_entry ADD COLUMN name_key text GENERATED ALWAYS AS (search_key(name)) STORED;
SELECT directory_indexes_build();
