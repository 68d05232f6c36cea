// The Dataset node of one dataset (null fields when never loaded).
OPTIONAL MATCH (d:Dataset {name: $dataset})
RETURN d.name AS name, d.release AS release, coalesce(d.releases, []) AS releases
