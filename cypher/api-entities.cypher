// Parties by id, each with its addresses and identifiers (one query for a page of search hits). The
// party is its node's properties, read back with server/core/party-node.ts fromNode. A document's dates
// (issued, expires) are the holder's, so they sit on the HAS_IDENTIFIER relationship, not the shared node.
UNWIND $ids AS id
MATCH (p:Party {id: id})
WHERE {{visible:p}}
CALL (p) {
  OPTIONAL MATCH (p)-[ra:HAS_ADDRESS]->(a:Address)
  WHERE {{visible:ra}}
  RETURN collect(DISTINCT a {.id, .full, .city, .country}) AS addresses
}
CALL (p) {
  OPTIONAL MATCH (p)-[r:HAS_IDENTIFIER]->(i:Identifier)
  WHERE {{visible:r}}
  RETURN collect(DISTINCT i {.id, .type, .value, .country, label: r.label, issued: r.issued, expires: r.expires}) AS identifiers
}
RETURN p {.*} AS party, addresses, identifiers, {{degree:p}} AS degree, p:Placeholder AS placeholder
