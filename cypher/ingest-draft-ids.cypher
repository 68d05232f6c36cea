// The ids of a load's drafts (ingest-draft-parties), read before its final transaction applies them a
// chunk at a time (ingest-apply-drafts).
MATCH (d:Draft {load: $seq})
RETURN d.id AS id
ORDER BY id
