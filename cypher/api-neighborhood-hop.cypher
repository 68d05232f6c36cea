// One hop of a neighbourhood: for each frontier node, its neighbours not yet seen, the most relevant
// first (other parties, then the fact kinds by their rank in the model, $ranks: [{label, rank}], so
// shared addresses and identifiers before programs; among equals the less connected first: an address
// shared by 2 parties says more than a program of 2,000 members), at most $perNode of them, and whether
// there were more.
//
// Bounded whatever the hub: at most $scan (> $perNode) unseen neighbours of a node are read and ranked,
// so expanding a program of 100,000 members costs what one of $scan members does (without the cap, the
// 2-hop neighbourhood grew with the size of the programs it passed: 6.6x from x1 to x16 scale data).
// Below $scan neighbours the choice is exact; above it, it is the best of the first $scan in the store's
// order, and `exclude` (graph.ts) pages on to the next ones. The degree that ranks them is what the
// reader sees (the degree macro: one db hit per node when no load is in progress, database.ts degreeIn).
UNWIND $frontier AS eid
MATCH (n)
WHERE elementId(n) = eid
CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE ($types IS NULL OR type(r) IN $types) AND NOT elementId(m) IN $seen AND {{visible:r}} AND {{visible:m}}
  WITH DISTINCT m
  LIMIT $scan
  WITH m, CASE WHEN m:Party THEN 0 ELSE head([f IN $ranks WHERE f.label IN labels(m) | f.rank]) END AS rank, {{degree:m}} AS degree
  ORDER BY rank, degree, m.id
  WITH collect(elementId(m)) AS found
  RETURN size(found) AS available, found[0..$perNode] AS neighbours
}
RETURN eid AS from, available, neighbours
