// In a load's final transaction: parties it restates with other fields take them now (ingest/loader.ts;
// new parties were created hidden and need nothing here). $nullProps names every field of a party node
// (server/core/party-node.ts), so a field the new release leaves empty is removed, not kept.
MATCH (d:Draft {load: $seq})
MATCH (p:Party {id: d.id})
USING INDEX p:Party(id)
REMOVE p:$($allKindLabels)
SET p:$(d.labels)
SET p += $nullProps
SET p += d {.*, load: null, labels: null}
WITH p, d, [x IN coalesce(p.datasets, []) WHERE x <> $dataset] AS others
SET p.datasets = others + $dataset,
    p.formerDatasets = [x IN coalesce(p.formerDatasets, []) WHERE x <> $dataset],
    p.delistedOn = null,
    p.firstSeen = coalesce(p.firstSeen, $release)
DELETE d
RETURN count(*) AS applied
