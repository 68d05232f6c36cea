// The parties of one stored release (see ingest-release), a page at a time: its parts $from to
// $from + $count - 1, in order, each the ids, names and digests of consecutive parties (by id). Parts
// are the ReleasePart nodes of load $load (release-get), or, for a release stored by an earlier version
// ($load null), slices of $part of the arrays on the node. Neither one record holding the whole arrays
// (neo4j-driver decodes a record spanning many Bolt chunks a byte at a time) nor one row per party
// (Bolt's cost per record): for the 239,440 parties of OFAC x16, 8.5 s whole, 8.0 s a row per party,
// 1.9-2.6 s in parts of 200 to 20,000.
MATCH (r:Release {id: $id})
CALL (r) {
  MATCH (p:ReleasePart {release: r.id, load: $load, kind: 'parties'})
  WHERE r.partsLoad = $load AND $from <= p.at < $from + $count
  RETURN p.at AS at, p.ids AS ids, p.names AS names, p.digests AS digests
  UNION ALL
  WITH r
  WHERE r.partsLoad IS NULL AND $load IS NULL AND r.ids IS NOT NULL
  WITH r.ids AS whole, r.names AS allNames, r.digests AS allDigests
  UNWIND range($from, $from + $count - 1) AS at
  WITH at, whole, allNames, allDigests
  WHERE at * $part < size(whole)
  RETURN at, whole[at * $part..(at + 1) * $part] AS ids, allNames[at * $part..(at + 1) * $part] AS names,
         allDigests[at * $part..(at + 1) * $part] AS digests
}
RETURN at, ids, names, digests, size(ids) AS size
ORDER BY at
