// Element ids of the nodes to start from: parties, and also shared addresses, identifiers and programs
// (so "who else uses this address" is a neighbourhood of the address). Each label's id is indexed.
UNWIND $ids AS id
CALL (id) {
  MATCH (p:Party {id: id}) RETURN p AS n
  UNION
  MATCH (a:Address {id: id}) RETURN a AS n
  UNION
  MATCH (i:Identifier {id: id}) RETURN i AS n
  UNION
  MATCH (g:Program {id: id}) RETURN g AS n
}
WITH n WHERE {{visible:n}}
RETURN DISTINCT elementId(n) AS eid
