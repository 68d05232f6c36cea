// Attaches identifiers (shared nodes keyed by type and normalised value) to parties; new nodes and links
// are hidden until the load commits (see ingest-programs).
UNWIND $rows AS row
MATCH (p:Party {id: row.partyId})
USING INDEX p:Party(id)
MERGE (i:Identifier {id: row.key})
  ON CREATE SET i.type = row.type, i.value = row.value, i.country = row.country,
                i.dataset = $dataset, i.release = $release, i.record = row.record, i.addedSeq = $seq
MERGE (p)-[r:HAS_IDENTIFIER {dataset: $dataset, addedSeq: $seq}]->(i)
SET r.label = row.label, r.issued = row.issued, r.expires = row.expires, r.release = $release, r.record = row.record
