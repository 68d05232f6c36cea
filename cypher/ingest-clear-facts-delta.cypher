// A delta release restates these parties: their addresses, identifiers and programs from this dataset
// are replaced (marked removed here). Their links are not: in FtM a relationship is an entity of its
// own, restated or deleted by its own operation (ingest-clear-links-by-source-id).
UNWIND $ids AS id
MATCH (p:Party {id: id})-[r:HAS_ADDRESS|HAS_IDENTIFIER|SANCTION]->()
USING INDEX p:Party(id)
WHERE r.dataset = $dataset AND r.removedSeq IS NULL AND coalesce(r.addedSeq, 0) <> $seq
SET r.removedSeq = $seq
RETURN count(r) AS marked
