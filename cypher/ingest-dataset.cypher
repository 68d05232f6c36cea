// Records a loaded release of a dataset.
MERGE (d:Dataset {name: $dataset})
SET d.release = $release,
    d.releases = $releases,
    d.title = $title,
    d.publisher = $publisher,
    d.files = $files,
    d.loadedAt = toString(datetime()),
    d.rejected = $rejected,
    d.rejectedCount = $rejectedCount,
    d.warnings = $warnings
