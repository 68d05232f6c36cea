// A committed load and the previous committed load of its dataset: the releases whose snapshots
// (ingest-release, read with release-parties) say who the list names after the load and who it named
// before. No previous load: null.
MATCH (l:Load {seq: $seq})
OPTIONAL MATCH (p:Load {dataset: l.dataset})
WHERE p.seq < l.seq AND p.state IN ['finishing', 'committed']
WITH l, p
ORDER BY p.seq DESC
LIMIT 1
RETURN l.dataset AS dataset, l.release AS release, p.release AS previous
