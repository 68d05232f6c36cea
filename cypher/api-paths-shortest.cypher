// The single shortest path between two parties (breadth-first from both ends), within {{maxHops}} hops (a literal: quantifier bounds cannot be parameters; filled by queryWith), over the
// allowed relationship types and avoiding the excluded nodes.
MATCH (a:Party {id: $from}), (b:Party {id: $to})
WHERE {{visible:a}} AND {{visible:b}}
MATCH p = SHORTEST 1 (a)((x)-[r]-(y) WHERE ($types IS NULL OR type(r) IN $types) AND NOT y.id IN $exclude AND {{visible:r}} AND {{visible:y}}){1,{{maxHops}}}(b)
RETURN [n IN nodes(p) | elementId(n)] AS nodes, [r IN relationships(p) | elementId(r)] AS rels
