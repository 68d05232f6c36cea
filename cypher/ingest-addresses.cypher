// Attaches addresses (shared nodes keyed by their normalised text) to parties; new nodes and links are
// hidden until the load commits (see ingest-programs).
UNWIND $rows AS row
MATCH (p:Party {id: row.partyId})
USING INDEX p:Party(id)
MERGE (a:Address {id: row.key})
  ON CREATE SET a.full = row.full, a.street = row.street, a.city = row.city, a.country = row.country,
                a.dataset = $dataset, a.release = $release, a.record = row.record, a.addedSeq = $seq
MERGE (p)-[r:HAS_ADDRESS {dataset: $dataset, addedSeq: $seq}]->(a)
SET r.release = $release, r.record = row.record
