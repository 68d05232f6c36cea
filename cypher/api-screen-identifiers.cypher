// The Identifier nodes a screening input names (server/api/screen.ts, keys from
// server/core/text/normalize.ts identifierLookup): by their keys, and a document number of any issuing
// country by the end of its key among the document types; each with the parties that hold it (at most
// $perIdentifier, by id) and how many do.
UNWIND $lookups AS l
CALL (l) {
  MATCH (i:Identifier)
  WHERE i.id IN l.keys
  RETURN i
  UNION
  MATCH (i:Identifier)
  WHERE l.suffix IS NOT NULL AND i.type IN l.types AND i.id ENDS WITH l.suffix
  RETURN i
}
WITH l, i
WHERE {{visible:i}}
CALL (i) {
  MATCH (p:Party)-[r:HAS_IDENTIFIER]->(i)
  WHERE {{visible:r}} AND {{visible:p}}
  WITH p, r
  ORDER BY p.id
  RETURN collect({id: p.id, label: r.label, dataset: r.dataset, release: r.release, record: r.record}) AS held
}
RETURN l.index AS index, i.id AS key, i.type AS type, i.value AS value, i.country AS country, held[0..$perIdentifier] AS holders, size(held) AS holderCount
