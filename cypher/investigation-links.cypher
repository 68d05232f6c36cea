// The links around a saved investigation's canvas: links between parties with at least one end on it,
// and fact relationships (address, identifier, program) with both ends on it. What an investigation's
// changes are told against (saved with it, compared when it is reopened). At most $max.
CALL () {
  UNWIND $ids AS id
  MATCH (p:Party {id: id})-[r]-(q:Party)
  WHERE type(r) IN $linkTypes AND {{visible:p}} AND {{visible:r}} AND {{visible:q}}
  RETURN DISTINCT r
  UNION
  UNWIND $ids AS id
  MATCH (p:Party {id: id})-[r]->(f)
  WHERE type(r) IN $factTypes AND f.id IN $ids AND {{visible:p}} AND {{visible:r}} AND {{visible:f}}
  RETURN DISTINCT r
}
WITH r, startNode(r) AS a, endNode(r) AS b
RETURN a.id AS source, b.id AS target, type(r) AS type, r.label AS label,
       coalesce(a.name, a.full, a.value, a.id) AS sourceName, coalesce(b.name, b.full, b.value, b.id) AS targetName
LIMIT $max
