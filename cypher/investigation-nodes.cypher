// The nodes of a saved investigation's canvas as they are now: for a party, the datasets that list it
// (its digest is read from their release snapshots) and whether it is delisted.
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
RETURN DISTINCT n.id AS id, coalesce(n.name, n.full, n.value, n.id) AS name, n:Party AS party,
       coalesce(n.datasets, []) AS datasets, coalesce(n.formerDatasets, []) AS formerDatasets,
       n.delistedOn AS delistedOn
