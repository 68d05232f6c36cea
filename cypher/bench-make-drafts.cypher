// bench/commit-drafts.ts: a draft for every party of the dataset, as a release that renames each would
// stage (ingest-draft-parties): the party's fields with another name and digest.
MATCH (p:Party) WHERE $dataset IN coalesce(p.datasets, [])
CREATE (d:Draft {load: $seq, id: p.id})
SET d += p {.*, addedSeq: null, datasets: null, formerDatasets: null, firstSeen: null, delistedOn: null, loadedAt: null},
    d.name = p.name + ' (renamed)', d.digest = 'renamed', d.labels = [l IN labels(p) WHERE l IN $allKindLabels], d.load = $seq
RETURN count(d) AS drafts
