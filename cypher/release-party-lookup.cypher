// The parts of a stored release (see ingest-release; load $load's, from release-get) that may hold one
// of the parties $ids: those whose range of ids (first to last) holds one. An investigation compares
// the few parties on its canvas without reading the release.
MATCH (r:Release {id: $id})
WHERE r.partsLoad = $load
MATCH (p:ReleasePart {release: r.id, load: $load, kind: 'parties'})
WHERE any(x IN $ids WHERE p.first <= x <= p.last)
RETURN p.at AS at, p.ids AS ids, p.names AS names, p.digests AS digests
ORDER BY at
