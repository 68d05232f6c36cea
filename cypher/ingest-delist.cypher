// Parties of this dataset missing from the new release are delisted, not deleted: "formerly
// sanctioned" is evidence. Their earlier facts and links stay, with their provenance.
MATCH (p:Party)
WHERE $dataset IN p.datasets AND NOT p.id IN $ids
WITH p, [d IN p.datasets WHERE d <> $dataset] AS others
SET p.datasets = others,
    p.formerDatasets = [d IN coalesce(p.formerDatasets, []) WHERE d <> $dataset] + $dataset,
    p.delistedOn = CASE WHEN size(others) = 0 THEN $release ELSE p.delistedOn END
RETURN count(p) AS delisted
