// Benchmark baseline (bench/ingest-baseline.ts): what ingest-addresses writes, by LOAD CSV.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (p:Party {id: row.partyId})
  MERGE (a:Address {id: row.key})
    ON CREATE SET a.full = row.full, a.street = row.street, a.city = row.city, a.country = row.country,
                  a.dataset = $dataset, a.release = $release, a.record = row.record
  MERGE (p)-[r:HAS_ADDRESS {dataset: $dataset}]->(a)
  SET r.release = $release, r.record = row.record
} IN TRANSACTIONS OF $batch ROWS
