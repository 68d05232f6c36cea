// Full-text candidates for a search, with the filters applied; re-ranked by name similarity in
// server/core/text. $lucene is built from the user's words by luceneQuery (values only).
CALL db.index.fulltext.queryNodes('party_names', $lucene, {limit: $candidates}) YIELD node AS p, score
WHERE {{visible:p}}
  AND ($kinds IS NULL OR p.kind IN $kinds OR any(k IN $kinds WHERE k IN labels(p)))
  AND ($datasets IS NULL OR any(d IN coalesce(p.datasets, []) WHERE d IN $datasets))
  AND ($programs IS NULL OR any(x IN coalesce(p.programs, []) WHERE x IN $programs))
  AND ($countries IS NULL
       OR any(c IN coalesce(p.nationalities, []) + coalesce(p.citizenships, []) WHERE toLower(c) IN $countries)
       OR EXISTS { (p)-[ra:HAS_ADDRESS]->(a:Address) WHERE toLower(a.country) IN $countries AND {{visible:ra}} })
RETURN p.id AS id, p.name AS name, coalesce(p.aliasNames, []) AS aliases, score
