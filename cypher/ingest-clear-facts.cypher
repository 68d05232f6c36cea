// What an earlier load of this dataset said about these parties is marked removed; the new release
// re-states it (removed for readers when the load commits). Both directions: a link stated by a party
// of this release can run from the other party (OFAC's "Owned or Controlled By" is stored owner ->
// asset). Relationships without a dataset (candidate matches and their review decisions) are not the
// source's and stay. Links to a party this release delists are unmarked again once the release's links
// are written (ingest-keep-delisted-links: a delisted party keeps its links as of its last release).
// The index hints here and in the other ingest-* queries keep the plan right when the query was first
// planned on an empty store (cached plans outlive a reset; a label scan per row was 40x slower).
UNWIND $ids AS id
MATCH (p:Party {id: id})-[r]-()
USING INDEX p:Party(id)
WHERE r.dataset = $dataset AND r.removedSeq IS NULL AND coalesce(r.addedSeq, 0) <> $seq
WITH DISTINCT r
SET r.removedSeq = $seq
RETURN count(r) AS marked
