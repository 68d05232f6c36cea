// Loaded datasets with their releases and listed-party counts. The count is the one the last load
// stored (ingest-dataset); a dataset loaded by a version that stored none is counted here instead.
MATCH (d:Dataset)
CALL (d) {
  WITH d WHERE d.entityCount IS NULL
  MATCH (p:Party)
  WHERE d.name IN p.datasets
  RETURN count(p) AS counted
}
RETURN d.name AS name, d.release AS release, coalesce(d.releases, []) AS releases,
       coalesce(d.entityCount, counted) AS entityCount, d.loadedAt AS loadedAt
ORDER BY name
