// Stores candidate matches (a < b by id, so a pair has one relationship), keeping any review decision.
UNWIND $rows AS row
MATCH (a:Party {id: row.a})
USING INDEX a:Party(id)
MATCH (b:Party {id: row.b})
USING INDEX b:Party(id)
MERGE (a)-[m:POSSIBLY_SAME_AS]->(b)
SET m.score = row.score, m.features = row.features, m.label = row.label, m.computedAt = $at
