// Parties a release delists: those a delta deletes, or those of the dataset a full release no longer
// lists (in chunks). Delisted, not deleted: "formerly sanctioned" is evidence; their earlier facts and
// links stay, with their provenance.
UNWIND $ids AS id
MATCH (p:Party {id: id})
USING INDEX p:Party(id)
WHERE $dataset IN p.datasets
WITH p, [d IN p.datasets WHERE d <> $dataset] AS others
SET p.datasets = others,
    p.formerDatasets = [d IN coalesce(p.formerDatasets, []) WHERE d <> $dataset] + $dataset,
    p.delistedOn = CASE WHEN size(others) = 0 THEN $release ELSE p.delistedOn END
RETURN count(p) AS delisted
