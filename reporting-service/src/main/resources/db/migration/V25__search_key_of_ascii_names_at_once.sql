-- Every entry of the directory computes its name's key as it is written, about 30 % of the work of writing it, yet
-- half the names are ASCII alone: folding one changes only A-Z. Those now take C's lower() at once, which gives the
-- same key (no ASCII character decomposes or is a mark, and no ASCII letter is one the rest folds), so the stored keys
-- stand. Not STRICT: PostgreSQL inlines a strict SQL function only if its body is strict, which a CASE is not, and a
-- call per name would cost more than the fold it saves; a null name still gives null.
CREATE OR REPLACE FUNCTION search_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN octet_length(name) = length(name) THEN lower(name COLLATE "C") COLLATE "und-x-icu"
                 ELSE replace(replace(replace(replace(translate(
                   regexp_replace(normalize(lower(name COLLATE "und-x-icu"), NFKD),
                       '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'),
                   'łøđðħıŧƀƚɨʉ', 'loddhitbliu'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th') END $$;
