// Links between parties. A target that is not loaded becomes a placeholder party, completed when that
// party is loaded. {{linkType}} is one of the model's LINK_TYPES, filled in by queryWith: a dynamic
// $(type) in MERGE is planned without the relationship-type index and was 300x slower on a fresh store.
UNWIND $rows AS row
MATCH (a:Party {id: row.from})
USING INDEX a:Party(id)
MERGE (b:Party {id: row.to})
  ON CREATE SET b:Placeholder:LegalEntity, b.kind = 'LegalEntity', b.name = row.toName, b.nameKey = row.toKey,
                b.aliasNames = [], b.dataset = $dataset, b.release = $release, b.record = row.record
MERGE (a)-[r:{{linkType}} {dataset: $dataset, label: row.label}]->(b)
SET r.release = $release, r.record = row.record, r.percentage = row.percentage, r.startDate = row.startDate,
    r.endDate = row.endDate, r.sourceId = row.sourceId
