// The fact nodes of an export (addresses, identifiers, programs) with their own fields and the
// provenance of the load that first stated them. Each label's id is indexed.
UNWIND $ids AS id
CALL (id) {
  MATCH (a:Address {id: id}) RETURN a AS n, 'Address' AS kind
  UNION
  MATCH (i:Identifier {id: id}) RETURN i AS n, 'Identifier' AS kind
  UNION
  MATCH (g:Program {id: id}) RETURN g AS n, 'Program' AS kind
}
WITH n, kind WHERE {{visible:n}}
RETURN kind, n {.id, .full, .street, .city, .country, .type, .value, .name, .dataset, .release, .record} AS fact
