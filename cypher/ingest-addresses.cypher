// Attaches addresses (shared nodes keyed by their normalised text) to parties; new nodes and links are
// hidden until the load commits (see ingest-programs).
// The rows come as columns, one list per field (see ingest-create-parties).
// CYPHER replan=skip: the plan does not depend on the store's statistics (see ingest-create-parties).
CYPHER replan=skip
UNWIND range(0, size($c.partyId) - 1) AS i
WITH $c AS c, i
MATCH (p:Party {id: c.partyId[i]})
USING INDEX p:Party(id)
MERGE (a:Address {id: c.key[i]})
  ON CREATE SET a.full = c.full[i], a.street = c.street[i], a.city = c.city[i], a.country = c.country[i],
                a.dataset = $dataset, a.release = $release, a.record = c.record[i], a.addedSeq = $seq
MERGE (p)-[r:HAS_ADDRESS {dataset: $dataset, addedSeq: $seq}]->(a)
SET r.release = $release, r.record = c.record[i]
