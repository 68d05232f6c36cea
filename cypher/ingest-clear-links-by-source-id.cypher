// Links of this dataset that a delta release restates or deletes, by the source's relationship id
// (marked removed; gone for readers when the load commits).
MATCH (:Party)-[r]->(:Party)
WHERE r.dataset = $dataset AND r.sourceId IN $sourceIds AND r.removedSeq IS NULL AND coalesce(r.addedSeq, 0) <> $seq
SET r.removedSeq = $seq
RETURN count(r) AS marked
