// Benchmark baseline (bench/ingest-baseline.ts): what ingest-programs writes, by LOAD CSV.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (p:Party {id: row.partyId})
  MERGE (pr:Program {id: row.program})
    ON CREATE SET pr.name = row.program, pr.dataset = $dataset, pr.release = $release, pr.record = row.record
  MERGE (p)-[r:SANCTION {dataset: $dataset}]->(pr)
  SET r.release = $release, r.record = row.record
} IN TRANSACTIONS OF $batch ROWS
