// Links parties to the sanctions programs they are listed under.
UNWIND $rows AS row
MATCH (p:Party {id: row.partyId})
USING INDEX p:Party(id)
MERGE (pr:Program {id: row.program})
  ON CREATE SET pr.name = row.program, pr.dataset = $dataset, pr.release = $release, pr.record = row.record
MERGE (p)-[r:SANCTION {dataset: $dataset}]->(pr)
SET r.release = $release, r.record = row.record
