// The link keys of one stored release (see ingest-release), sorted, a page of parts at a time (as
// release-parties: ReleasePart nodes of load $load, or slices of $part of the array on the node).
MATCH (r:Release {id: $id})
CALL (r) {
  MATCH (p:ReleasePart {release: r.id, load: $load, kind: 'linkKeys'})
  WHERE r.partsLoad = $load AND $from <= p.at < $from + $count
  RETURN p.at AS at, p.keys AS keys
  UNION ALL
  WITH r
  WHERE r.partsLoad IS NULL AND $load IS NULL AND r.linkKeys IS NOT NULL
  WITH r.linkKeys AS whole
  UNWIND range($from, $from + $count - 1) AS at
  WITH at, whole
  WHERE at * $part < size(whole)
  RETURN at, whole[at * $part..(at + 1) * $part] AS keys
}
RETURN at, keys, size(keys) AS size
ORDER BY at
