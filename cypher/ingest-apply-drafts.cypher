// In a load's final transaction, one chunk of its drafts at a time ($ids, ingest/loader.ts DRAFT_CHUNK):
// parties it restates with other fields take them now (new parties were created hidden and need nothing
// here). $fields names every field of a party node (server/core/party-node.ts) but its id: a field the new
// release leaves empty is removed, not kept.
//
// Only what differs is written. The final transaction's memory grows with what it changes, and removing
// every field and setting each again cost 7.4 kB of transaction state a draft (111 MB for 14,965 drafts,
// so about 97,000 changed parties ran over the default 1 GB NEO4J_TX_MEMORY); the drafts themselves are
// deleted after the commit (ingest-drop-drafts), and one query for every draft made the planner hold all
// rows at each of its five Eager steps. `coalesce(a <> b, ...)`: `<>` is null when either side is.
UNWIND $ids AS id
MATCH (d:Draft {load: $seq, id: id})
MATCH (p:Party {id: id})
USING INDEX p:Party(id)
WITH p, d,
     [k IN $fields WHERE coalesce(p[k] <> d[k], (p[k] IS NULL) <> (d[k] IS NULL))] AS changed,
     [l IN labels(p) WHERE l IN $allKindLabels AND NOT l IN d.labels] AS gone,
     [l IN d.labels WHERE NOT l IN labels(p)] AS come
CALL (p, d, changed) {
  UNWIND changed AS k
  SET p[k] = d[k]
}
REMOVE p:$(gone)
SET p:$(come)
WITH p
CALL (p) {
  WITH p WHERE p.datasets IS NULL OR last(p.datasets) <> $dataset
  SET p.datasets = [x IN coalesce(p.datasets, []) WHERE x <> $dataset] + $dataset
}
CALL (p) {
  WITH p WHERE p.formerDatasets IS NULL OR $dataset IN p.formerDatasets
  SET p.formerDatasets = [x IN coalesce(p.formerDatasets, []) WHERE x <> $dataset]
}
CALL (p) {
  WITH p WHERE p.delistedOn IS NOT NULL OR p.firstSeen IS NULL
  SET p.delistedOn = null, p.firstSeen = coalesce(p.firstSeen, $release)
}
RETURN count(*) AS applied
