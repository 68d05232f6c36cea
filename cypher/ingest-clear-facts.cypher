// What an earlier load of this dataset said about these parties is marked removed; the new release
// re-states it (removed for readers when the load commits). Relationships without a dataset (candidate
// matches and their review decisions) are not the source's and stay.
// A link is cleared only by restating a party that stated it (r.statedBy, ingest-links): either end (a
// link a party states can run from the other party: OFAC's "Owned or Controlled By" is stored owner ->
// asset). A link stated only by a party this release does not hold (delisted now or before) stays: the
// delisted party's history, as of its last release. Links written before statedBy existed count as
// stated by both ends, except that one whose other end is already delisted from this dataset stays
// (for the links of the parties this release delists: ingest-keep-delisted-links).
// The index hints here and in the other ingest-* queries keep the plan right when the query was first
// planned on an empty store (cached plans outlive a reset; a label scan per row was 40x slower).
UNWIND $ids AS id
MATCH (p:Party {id: id})-[r]-(o)
USING INDEX p:Party(id)
WHERE r.dataset = $dataset AND r.removedSeq IS NULL AND coalesce(r.addedSeq, 0) <> $seq
  AND CASE
    WHEN NOT o:Party THEN true
    WHEN r.statedBy IS NOT NULL THEN p.id IN r.statedBy
    ELSE NOT ($dataset IN coalesce(o.formerDatasets, []) AND NOT $dataset IN coalesce(o.datasets, []))
  END
WITH DISTINCT r
SET r.removedSeq = $seq
RETURN count(r) AS marked
