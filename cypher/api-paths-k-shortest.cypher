// The shortest paths between two parties, shortest first, within {{maxHops}} hops (a literal: quantifier bounds cannot be parameters; filled by queryWith) (see api-paths-shortest).
// SHORTEST takes only a literal count: 50 is the API's cap on `limit`; LIMIT returns what was asked.
MATCH (a:Party {id: $from}), (b:Party {id: $to})
WHERE {{visible:a}} AND {{visible:b}}
MATCH p = SHORTEST 50 (a)((x)-[r]-(y) WHERE ($types IS NULL OR type(r) IN $types) AND NOT y.id IN $exclude AND {{visible:r}} AND {{visible:y}}){1,{{maxHops}}}(b)
RETURN [n IN nodes(p) | elementId(n)] AS nodes, [r IN relationships(p) | elementId(r)] AS rels
ORDER BY size(rels)
LIMIT $limit
