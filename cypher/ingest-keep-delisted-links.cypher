// Links of parties this release delists (not in it, still listed before it) stay as of their last
// release: a delisted party keeps its history (README "Loading lists"). ingest-clear-facts marks every
// link of a restated party removed, in both directions (a link a party states may be stored from the
// other end); the links it so took from a party leaving the list are unmarked here, once this load has
// written its links, unless this release states the same link again (then its copy replaces it).
UNWIND $ids AS id
MATCH (d:Party {id: id})-[r]-(:Party)
USING INDEX d:Party(id)
WHERE r.dataset = $dataset AND r.removedSeq = $seq
WITH DISTINCT r
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE NOT EXISTS {
  MATCH (a)-[r2]->(b)
  WHERE type(r2) = type(r) AND r2.key = r.key AND r2.addedSeq = $seq
}
SET r.removedSeq = null
RETURN count(r) AS kept
