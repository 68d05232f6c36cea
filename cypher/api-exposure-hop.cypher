// One hop of an exposure search (server/core/screening/exposure.ts): for each frontier node, its
// neighbours not yet seen over the relationship types $types (never SANCTION, and never a Program node:
// being listed under the same program is no connection), sanctioned parties first (listed by a dataset
// they are not delisted from, under a program), then by id, at most $perNode of them (a hub address or
// identifier does not explode), each with one relationship that reaches it and how many there were
// (at most $scan: see below).
UNWIND $frontier AS eid
MATCH (n)
WHERE elementId(n) = eid
CALL (n) {
  // Bounded whatever the hub: at most $scan unseen neighbours are read and ranked (as in
  // api-neighborhood-hop.cypher), so a node of 100,000 relationships costs what one of $scan does.
  // Below $scan the choice is exact; above it, the best of the first $scan in the store's order.
  MATCH (n)-[r]-(m)
  WHERE type(r) IN $types AND NOT m:Program AND NOT elementId(m) IN $seen AND {{visible:r}} AND {{visible:m}}
  WITH DISTINCT m
  LIMIT $scan
  MATCH (n)-[r]-(m)
  WHERE type(r) IN $types AND {{visible:r}}
  WITH m, min(elementId(r)) AS rel
  WITH m, rel, (m:Party AND NOT m:Placeholder AND size(coalesce(m.datasets, [])) > 0 AND size(coalesce(m.programs, [])) > 0) AS sanctioned
  ORDER BY sanctioned DESC, m.id
  WITH collect({node: elementId(m), rel: rel, id: m.id, sanctioned: sanctioned}) AS found
  RETURN size(found) AS available, found[0..$perNode] AS next
}
RETURN eid AS from, available, next
