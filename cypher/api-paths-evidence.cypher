// Candidate paths for ranking by evidence (server/core/paths/evidence.ts evidenceTiers): for each tier
// of $tiers (relationship types at least as strong as one weight, strongest tier first), the 50
// shortest paths between two parties over that tier's types only, within {{maxHops}} hops (a literal:
// quantifier bounds cannot be parameters; filled by queryWith). SHORTEST takes only a literal count: 50
// is the API's cap on `limit`. The types of each path come back with it: the API ranks on them before
// it reads any node.
MATCH (a:Party {id: $from}), (b:Party {id: $to})
WHERE {{visible:a}} AND {{visible:b}}
UNWIND range(0, size($tiers) - 1) AS tier
CALL (a, b, tier) {
  WITH a, b, $tiers[tier] AS types
  MATCH p = SHORTEST 50 (a)((x)-[r]-(y) WHERE type(r) IN types AND NOT y.id IN $exclude AND {{visible:r}} AND {{visible:y}}){1,{{maxHops}}}(b)
  RETURN p
}
RETURN tier, [n IN nodes(p) | elementId(n)] AS nodes, [r IN relationships(p) | elementId(r)] AS rels, [r IN relationships(p) | type(r)] AS types
