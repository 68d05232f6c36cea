// Loaded datasets with their releases and listed-party counts.
MATCH (d:Dataset)
CALL (d) {
  MATCH (p:Party)
  WHERE d.name IN p.datasets
  RETURN count(p) AS entityCount
}
RETURN d.name AS name, d.release AS release, coalesce(d.releases, []) AS releases, entityCount, d.loadedAt AS loadedAt
ORDER BY name
