// The explorer benchmark's canvas (bench/explorer.ts): the members of one sanctions program in id order,
// each with every program it is listed under and its identifiers. The benchmark takes these ids in this
// order up to its node count; the canvas then shows every relationship among them (the subgraph query).
MATCH (:Program {id: $program})<-[:SANCTION]-(p:Party)
RETURN p.id AS id,
       COLLECT { MATCH (p)-[:SANCTION]->(g:Program) RETURN g.id ORDER BY g.id } AS programs,
       COLLECT { MATCH (p)-[:HAS_IDENTIFIER]->(i:Identifier) RETURN i.id ORDER BY i.id } AS identifiers
ORDER BY id
