// Attaches addresses (shared nodes keyed by their normalised text) to parties.
UNWIND $rows AS row
MATCH (p:Party {id: row.partyId})
USING INDEX p:Party(id)
MERGE (a:Address {id: row.key})
  ON CREATE SET a.full = row.full, a.street = row.street, a.city = row.city, a.country = row.country,
                a.dataset = $dataset, a.release = $release, a.record = row.record
MERGE (p)-[r:HAS_ADDRESS {dataset: $dataset}]->(a)
SET r.release = $release, r.record = row.record
