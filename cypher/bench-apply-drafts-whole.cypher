// bench/commit-drafts.ts's baseline: how ingest-apply-drafts applied a load's drafts before (one query for
// every draft, every field removed and set again, the drafts deleted in the same transaction).
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
