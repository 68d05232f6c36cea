// Candidate matches of these datasets' parties that nobody has reviewed: recomputed after each load.
// Reviewed ones (confirmed or rejected) stay whatever the new data says: a person decided them.
MATCH (a:Party)-[m:POSSIBLY_SAME_AS]-(b:Party)
WHERE m.decision IS NULL AND any(d IN coalesce(a.datasets, []) + coalesce(a.formerDatasets, []) WHERE d IN $datasets)
DELETE m
