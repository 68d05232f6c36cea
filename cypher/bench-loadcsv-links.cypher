// Benchmark baseline (bench/ingest-baseline.ts): what ingest-links writes, by LOAD CSV, resolving the
// named end of a "Linked To" itself: a loaded party with that normalised name (the party_name_key
// index), else the row's fallback (an alias of a party of the release, or the placeholder id, as
// ingest/loader.ts resolveTargets would give). An end not loaded becomes a placeholder party. Each link
// records the party whose entry states it (statedBy), as ingest-links does.
// {{linkType}} is one of the model's LINK_TYPES (queryWith), one pass per type.
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  OPTIONAL MATCH (t:Party {nameKey: row.otherKey}) WHERE row.otherId IS NULL AND NOT t:Placeholder
  WITH row, min(t.id) AS named
  WITH row, coalesce(row.otherId, named, row.otherFallback) AS other
  WITH row, CASE WHEN row.inverse = '1' THEN [other, row.self] ELSE [row.self, other] END AS ends
  MERGE (a:Party {id: ends[0]})
    ON CREATE SET a:Placeholder:LegalEntity, a.kind = 'LegalEntity', a.name = coalesce(row.otherName, ends[0]), a.nameKey = row.otherKey,
                  a.aliasNames = [], a.dataset = $dataset, a.release = $release, a.record = row.record
  MERGE (b:Party {id: ends[1]})
    ON CREATE SET b:Placeholder:LegalEntity, b.kind = 'LegalEntity', b.name = coalesce(row.otherName, ends[1]), b.nameKey = row.otherKey,
                  b.aliasNames = [], b.dataset = $dataset, b.release = $release, b.record = row.record
  MERGE (a)-[r:{{linkType}} {dataset: $dataset, key: coalesce(row.sourceId, row.label)}]->(b)
  SET r.label = row.label, r.release = $release, r.record = row.record, r.percentage = row.percentage,
      r.startDate = row.startDate, r.endDate = row.endDate, r.sourceId = row.sourceId,
      r.statedBy = CASE WHEN row.self IN coalesce(r.statedBy, []) THEN r.statedBy ELSE coalesce(r.statedBy, []) + row.self END
} IN TRANSACTIONS OF $batch ROWS
