// Records one release of a dataset: the parties it lists, with their names and a digest of each one's
// fields, and the keys of its links; the changes query compares two of these.
MERGE (r:Release {id: $id})
SET r.dataset = $dataset, r.date = $release, r.ids = $ids, r.names = $names, r.digests = $digests,
    r.linkKeys = $linkKeys, r.entityCount = size($ids), r.loadedAt = toString(datetime())
