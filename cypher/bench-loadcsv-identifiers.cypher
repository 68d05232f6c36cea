// Benchmark baseline (bench/ingest-baseline.ts): what ingest-identifiers writes, by LOAD CSV.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (p:Party {id: row.partyId})
  MERGE (i:Identifier {id: row.key})
    ON CREATE SET i.type = row.type, i.value = row.value, i.country = row.country,
                  i.dataset = $dataset, i.release = $release, i.record = row.record
  MERGE (p)-[r:HAS_IDENTIFIER {dataset: $dataset}]->(i)
  SET r.label = row.label, r.issued = row.issued, r.expires = row.expires, r.release = $release, r.record = row.record
} IN TRANSACTIONS OF $batch ROWS
