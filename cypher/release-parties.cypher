// The parties of one stored release (see ingest-release), in parts of $part consecutive parties (the
// snapshot's order, by id): each row the ids, names and digests of one part. Neither one record holding
// the whole arrays (neo4j-driver decodes a record spanning many Bolt chunks a byte at a time) nor one row
// per party (Bolt's per-record cost): for the 239,440 parties of OFAC x16, 8.5 s whole, 8.0 s a row per
// party, 1.9-2.6 s in parts of 200 to 20,000. The arrays are read once (WITH), not once per part.
MATCH (r:Release {id: $id})
WITH r.ids AS ids, r.names AS names, r.digests AS digests
UNWIND range(0, size(ids) - 1, $part) AS at
RETURN at, ids[at..at + $part] AS ids, names[at..at + $part] AS names, digests[at..at + $part] AS digests
ORDER BY at
