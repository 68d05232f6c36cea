// Links parties to the sanctions programs they are listed under (a new Program node and every new link
// hidden until the load commits: addedSeq; the load's number is part of the link's key, so the previous
// release's link, marked removed, stays for readers meanwhile).
UNWIND $rows AS row
MATCH (p:Party {id: row.partyId})
USING INDEX p:Party(id)
MERGE (pr:Program {id: row.program})
  ON CREATE SET pr.name = row.program, pr.dataset = $dataset, pr.release = $release, pr.record = row.record, pr.addedSeq = $seq
MERGE (p)-[r:SANCTION {dataset: $dataset, addedSeq: $seq}]->(pr)
SET r.release = $release, r.record = row.record
