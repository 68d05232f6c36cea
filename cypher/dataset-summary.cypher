// Counts of one dataset as stored in the database.
MATCH (d:Dataset {name: $dataset})
CALL (d) {
  MATCH (p:Party)
  WHERE d.name IN p.datasets AND {{visible:p}}
  WITH p.kind AS kind, count(*) AS n, sum(size(coalesce(p.aliasNames, []))) AS a
  RETURN collect({kind: kind, n: n}) AS byKind, sum(n) AS total, sum(a) AS aliases
}
CALL (d) {
  MATCH (:Party)-[r:HAS_ADDRESS]->(a:Address)
  WHERE r.dataset = d.name AND {{visible:r}}
  RETURN count(DISTINCT a) AS addresses
}
CALL (d) {
  MATCH (:Party)-[r:HAS_IDENTIFIER]->(i:Identifier)
  WHERE r.dataset = d.name AND {{visible:r}}
  WITH i.type AS type, count(DISTINCT i) AS n
  RETURN collect({type: type, n: n}) AS identifiersByType, sum(n) AS identifiers
}
CALL (d) {
  MATCH (:Party)-[r]->(b:Party)
  WHERE r.dataset = d.name AND {{visible:r}}
  RETURN count(r) AS links, count(DISTINCT CASE WHEN b:Placeholder THEN b END) AS placeholders
}
CALL (d) {
  MATCH (p:Party)
  WHERE d.name IN coalesce(p.formerDatasets, []) AND {{visible:p}}
  RETURN count(p) AS delisted
}
RETURN d.name AS dataset, d.release AS release, d.releases AS releases, d.loadedAt AS loadedAt,
       d.title AS title, d.files AS files, total, byKind, aliases, addresses, identifiers,
       identifiersByType, links, placeholders, delisted, d.rejected AS rejected,
       d.rejectedCount AS rejectedCount, d.warnings AS warnings
