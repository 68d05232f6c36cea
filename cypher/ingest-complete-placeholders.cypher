// Moves the {{linkType}} links that point at a placeholder onto the party it stands for. Run once per
// link type of the model (a static type keeps the index-backed plan), then ingest-drop-placeholders.
UNWIND $pairs AS pair
MATCH (ph:Party {id: pair.placeholder})
USING INDEX ph:Party(id)
WHERE ph:Placeholder
MATCH (real:Party {id: pair.real})
USING INDEX real:Party(id)
MATCH (ph)<-[r:{{linkType}}]-(x)
MERGE (x)-[r2:{{linkType}} {dataset: r.dataset, label: r.label}]->(real)
SET r2 += properties(r)
DELETE r
RETURN count(r) AS moved
