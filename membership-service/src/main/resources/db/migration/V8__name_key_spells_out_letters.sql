-- The duplicate check's key now also folds the letters that Unicode does not take apart into a base and an accent
-- (Cluster.nameKey): "Lodz" is "Łódź", "Strasse" is "Straße". The stored keys are folded the same way here: the old
-- key is the name folded up to lower case, so folding those letters of it gives the new key.
-- Where two members would share a new key, the first recorded takes it and the other keeps the key it had, so that no
-- member is lost (a withdrawal is the operators' way to end a duplicate). So does a key that would grow past the
-- column's 200 characters.
WITH refolded AS (
    SELECT id, country, recorded_at,
           replace(replace(replace(replace(translate(name_key, 'łøđðħıŧƀƚɨʉ', 'loddhitbliu'),
               'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th') AS key
    FROM cluster
    WHERE name_key ~ '[łøđðħıŧƀƚɨʉßæœþ]'
), free AS (
    SELECT DISTINCT ON (key, country) id, key
    FROM refolded r
    WHERE char_length(key) <= 200
      AND NOT EXISTS (SELECT 1 FROM cluster c WHERE c.name_key = r.key AND c.country = r.country)
    ORDER BY key, country, recorded_at, id
)
UPDATE cluster SET name_key = free.key FROM free WHERE cluster.id = free.id;
