// Watches a party, or changes the radius of its watch. Its own label, no relationships: loads, purges
// and cleanups never match it (they match parties, facts, loads and their relationships by label).
// `matchKeys`: the candidate matches inside the radius now, so the next load alerts only on new ones.
MERGE (w:Watch {id: $id})
ON CREATE SET w.createdAt = $at, w.createdBy = $by
SET w.name = $name, w.radius = $radius, w.updatedAt = $at, w.updatedBy = $by, w.matchKeys = $matchKeys
RETURN w {.*} AS w
