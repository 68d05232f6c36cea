// Creates or updates parties. Kind labels are replaced (a kind can change between releases); labels come
// from the model's allow-list (server/core/model.ts partyLabels), passed as parameters.
UNWIND $rows AS row
MERGE (p:Party {id: row.id})
REMOVE p:$($allKindLabels)
SET p:$(row.labels)
SET p += row.props
WITH p, [d IN coalesce(p.datasets, []) WHERE d <> $dataset] AS others
SET p.datasets = others + $dataset,
    p.formerDatasets = [d IN coalesce(p.formerDatasets, []) WHERE d <> $dataset],
    p.delistedOn = null,
    p.firstSeen = coalesce(p.firstSeen, $release)
