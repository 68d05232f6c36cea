// Parties a delta release deletes: delisted, not deleted (as ingest-delist does for a full release).
UNWIND $ids AS id
MATCH (p:Party {id: id})
USING INDEX p:Party(id)
WHERE $dataset IN p.datasets
WITH p, [d IN p.datasets WHERE d <> $dataset] AS others
SET p.datasets = others,
    p.formerDatasets = [d IN coalesce(p.formerDatasets, []) WHERE d <> $dataset] + $dataset,
    p.delistedOn = CASE WHEN size(others) = 0 THEN $release ELSE p.delistedOn END
RETURN count(p) AS delisted
