// Links parties to the sanctions programs they are listed under (a new Program node and every new link
// hidden until the load commits: addedSeq; the load's number is part of the link's key, so the previous
// release's link, marked removed, stays for readers meanwhile).
// The rows come as columns, one list per field (see ingest-create-parties).
// CYPHER replan=skip: the plan does not depend on the store's statistics (see ingest-create-parties).
CYPHER replan=skip
UNWIND range(0, size($c.partyId) - 1) AS i
WITH $c AS c, i
MATCH (p:Party {id: c.partyId[i]})
USING INDEX p:Party(id)
MERGE (pr:Program {id: c.program[i]})
  ON CREATE SET pr.name = c.program[i], pr.dataset = $dataset, pr.release = $release, pr.record = c.record[i], pr.addedSeq = $seq
MERGE (p)-[r:SANCTION {dataset: $dataset, addedSeq: $seq}]->(pr)
SET r.release = $release, r.record = c.record[i]
