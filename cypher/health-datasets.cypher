// Loaded datasets with their release and number of listed parties, for /healthz.
MATCH (d:Dataset)
CALL (d) {
  MATCH (p:Party)
  WHERE d.name IN p.datasets
  RETURN count(p) AS entities
}
RETURN d.name AS name, d.release AS release, entities, d.loadedAt AS loadedAt
ORDER BY name
