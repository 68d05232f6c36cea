// Records a loaded release of a dataset, with the number of parties it lists (what /healthz and the
// datasets query answer without counting): counted, unless the loader knows it ($entityCount: after a
// full release's load the dataset lists exactly that release's parties; a delta's is counted).
MERGE (d:Dataset {name: $dataset})
SET d.release = $release,
    d.releases = $releases,
    d.title = $title,
    d.publisher = $publisher,
    d.files = $files,
    d.loadedAt = toString(datetime()),
    d.rejected = $rejected,
    d.rejectedCount = $rejectedCount,
    d.warnings = $warnings,
    d.entityCount = CASE WHEN $entityCount IS NULL THEN COUNT { MATCH (p:Party) WHERE $dataset IN p.datasets } ELSE toInteger($entityCount) END
