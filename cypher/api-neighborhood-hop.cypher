// One hop of a neighbourhood: for each frontier node, its neighbours not yet seen, the most relevant
// first (other parties, then the fact kinds by their rank in the model, $ranks: [{label, rank}], so
// shared addresses and identifiers before programs; among equals the less connected first: an address
// shared by 2 parties says more than a program of 2,000 members), at most $perNode of them, and how
// many there were in all.
UNWIND $frontier AS eid
MATCH (n)
WHERE elementId(n) = eid
CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE ($types IS NULL OR type(r) IN $types) AND NOT elementId(m) IN $seen AND {{visible:r}} AND {{visible:m}}
  WITH DISTINCT m
  WITH m, CASE WHEN m:Party THEN 0 ELSE head([f IN $ranks WHERE f.label IN labels(m) | f.rank]) END AS rank, COUNT { (m)-[x]-() WHERE {{visible:x}} } AS degree
  ORDER BY rank, degree, m.id
  WITH collect(elementId(m)) AS found
  RETURN size(found) AS available, found[0..$perNode] AS neighbours
}
RETURN eid AS from, available, neighbours
