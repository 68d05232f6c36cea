// Links of this dataset that a delta release restates or deletes, by the source's relationship id.
MATCH (:Party)-[r]->(:Party)
WHERE r.dataset = $dataset AND r.sourceId IN $sourceIds
DELETE r
