// Records a loaded release of a dataset, with the number of parties it lists (what /healthz and the
// datasets query answer without counting): counted, unless the loader knows it ($entityCount: a load
// into a store that held no party lists exactly the parties it created, one per party of its release).
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
