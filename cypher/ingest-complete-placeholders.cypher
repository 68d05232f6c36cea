// Moves the {{linkType}} links that point at a placeholder onto the party it stands for: a copy added
// by this load, the original marked removed (both take effect when the load commits). Run once per link
// type of the model (a static type keeps the index-backed plan), then ingest-drop-placeholders.
UNWIND $pairs AS pair
MATCH (ph:Party {id: pair.placeholder})
USING INDEX ph:Party(id)
WHERE ph:Placeholder
MATCH (real:Party {id: pair.real})
USING INDEX real:Party(id)
MATCH (ph)<-[r:{{linkType}}]-(x)
WHERE r.removedSeq IS NULL
MERGE (x)-[r2:{{linkType}} {dataset: r.dataset, key: coalesce(r.key, r.label), addedSeq: $seq}]->(real)
SET r2 += properties(r)
SET r2.addedSeq = $seq, r2.removedSeq = null, r.removedSeq = $seq
RETURN count(r) AS moved
