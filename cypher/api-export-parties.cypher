// The evidence of the parties of an export: each party's node whole (read back with
// server/core/party-node.ts fromNode), and every address, identifier and program it states, each with
// the provenance of the relationship that states it (dataset, release, record). At most $perParty facts
// of each kind a party (the entity view's cap), in a stable order.
UNWIND $ids AS id
MATCH (p:Party {id: id})
WHERE {{visible:p}}
CALL (p) {
  OPTIONAL MATCH (p)-[r:HAS_ADDRESS]->(a:Address)
  WHERE {{visible:r}}
  WITH a, r ORDER BY a.id, r.dataset, r.record LIMIT $perParty
  RETURN collect(a {.id, .full, .street, .city, .country, dataset: r.dataset, release: r.release, record: r.record}) AS addresses
}
CALL (p) {
  OPTIONAL MATCH (p)-[r:HAS_IDENTIFIER]->(i:Identifier)
  WHERE {{visible:r}}
  WITH i, r ORDER BY i.id, r.dataset, r.record LIMIT $perParty
  RETURN collect(i {.id, .type, .value, .country, label: r.label, issued: r.issued, expires: r.expires,
                    dataset: r.dataset, release: r.release, record: r.record}) AS identifiers
}
CALL (p) {
  OPTIONAL MATCH (p)-[r:SANCTION]->(g:Program)
  WHERE {{visible:r}}
  WITH g, r ORDER BY g.id, r.dataset LIMIT $perParty
  // A map literal of the OPTIONAL MATCH's null row is a map of nulls, which collect keeps (a map
  // projection of null is null and is dropped): a party under no program would read as listed.
  RETURN collect(CASE WHEN g IS NULL THEN null ELSE {program: coalesce(g.name, g.id), dataset: r.dataset, release: r.release, record: r.record} END) AS programs
}
RETURN p {.*} AS party, p:Placeholder AS placeholder, addresses, identifiers, programs
