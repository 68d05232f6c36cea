// Links between parties. An end that is not loaded becomes a placeholder party, completed when that
// party is loaded (usually the target; the source too for links stated from the other end, e.g. OFAC's
// "Owned or Controlled By", stored owner -> asset). {{linkType}} is one of the model's LINK_TYPES, filled
// in by queryWith: a dynamic $(type) in MERGE is planned without the relationship-type index and was 300x
// slower on a fresh store. One relationship per source statement: keyed by the source's relationship id
// when it has one (three Ownerships of one owner with different shares stay three), else its wording;
// and by the load's number, so the previous release's link (marked removed) stays for readers until
// this load commits. New placeholders and links are hidden until then (addedSeq). statedBy lists the
// parties whose records state the link (two identical statements are one relationship): restating a
// party clears only what it stated (ingest-clear-facts).
// The rows come as columns, one list per field (see ingest-create-parties), made a row map here: each
// field is read several times below.
// CYPHER replan=skip: the plan does not depend on the store's statistics (see ingest-create-parties).
CYPHER replan=skip
UNWIND range(0, size($c.from) - 1) AS i
WITH $c AS c, i
WITH {from: c.from[i], to: c.to[i], fromName: c.fromName[i], fromKey: c.fromKey[i], toName: c.toName[i], toKey: c.toKey[i],
      label: c.label[i], record: c.record[i], percentage: c.percentage[i], startDate: c.startDate[i], endDate: c.endDate[i],
      sourceId: c.sourceId[i], statedBy: c.statedBy[i]} AS row
MERGE (a:Party {id: row.from})
  ON CREATE SET a:Placeholder:LegalEntity, a.kind = 'LegalEntity', a.name = coalesce(row.fromName, row.from), a.nameKey = row.fromKey,
                a.aliasNames = [], a.dataset = $dataset, a.release = $release, a.record = row.record, a.addedSeq = $seq
MERGE (b:Party {id: row.to})
  ON CREATE SET b:Placeholder:LegalEntity, b.kind = 'LegalEntity', b.name = coalesce(row.toName, row.to), b.nameKey = row.toKey,
                b.aliasNames = [], b.dataset = $dataset, b.release = $release, b.record = row.record, b.addedSeq = $seq
MERGE (a)-[r:{{linkType}} {dataset: $dataset, key: coalesce(row.sourceId, row.label), addedSeq: $seq}]->(b)
SET r.label = row.label, r.release = $release, r.record = row.record, r.percentage = row.percentage,
    r.startDate = row.startDate, r.endDate = row.endDate, r.sourceId = row.sourceId,
    r.statedBy = CASE WHEN row.statedBy IN coalesce(r.statedBy, []) THEN r.statedBy ELSE coalesce(r.statedBy, []) + row.statedBy END
