// Names of all loaded datasets.
MATCH (d:Dataset)
RETURN d.name AS name
ORDER BY name
