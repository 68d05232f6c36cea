// Attaches identifiers (shared nodes keyed by type and normalised value) to parties; new nodes and links
// are hidden until the load commits (see ingest-programs).
// The rows come as columns, one list per field (see ingest-create-parties).
// CYPHER replan=skip: the plan does not depend on the store's statistics (see ingest-create-parties).
CYPHER replan=skip
UNWIND range(0, size($c.partyId) - 1) AS n
WITH $c AS c, n
MATCH (p:Party {id: c.partyId[n]})
USING INDEX p:Party(id)
MERGE (i:Identifier {id: c.key[n]})
  ON CREATE SET i.type = c.type[n], i.value = c.value[n], i.country = c.country[n],
                i.dataset = $dataset, i.release = $release, i.record = c.record[n], i.addedSeq = $seq
MERGE (p)-[r:HAS_IDENTIFIER {dataset: $dataset, addedSeq: $seq}]->(i)
SET r.label = c.label[n], r.issued = c.issued[n], r.expires = c.expires[n], r.release = $release, r.record = c.record[n]
