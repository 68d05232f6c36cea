// The link keys of one stored release (see ingest-release), in parts of $part (see release-parties).
MATCH (r:Release {id: $id})
WITH r.linkKeys AS keys
UNWIND range(0, size(keys) - 1, $part) AS at
RETURN at, keys[at..at + $part] AS keys
ORDER BY at
