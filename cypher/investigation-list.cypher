// Saved investigations, the last updated first (at most $max).
MATCH (i:Investigation)
RETURN i {.*} AS i
ORDER BY i.updatedAt DESC, i.id
LIMIT $max
