// Links written before statedBy existed (ingest-links) whose statement is unknown: ingest-clear-facts
// counts them as stated by both ends, so restating a party still listed marked its links to a party
// this release delists removed. They are unmarked here, once this load has written its links, unless
// this release states the same link again (then its copy replaces it): a delisted party keeps its
// history. Links with statedBy are never marked by a party that did not state them.
UNWIND $ids AS id
MATCH (d:Party {id: id})-[r]-(:Party)
USING INDEX d:Party(id)
WHERE r.dataset = $dataset AND r.removedSeq = $seq AND r.statedBy IS NULL
WITH DISTINCT r
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE NOT EXISTS {
  MATCH (a)-[r2]->(b)
  WHERE type(r2) = type(r) AND r2.key = r.key AND r2.addedSeq = $seq
}
SET r.removedSeq = null
RETURN count(r) AS kept
