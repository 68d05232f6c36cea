// Records one release of a dataset, in the load's final transaction: its snapshot (the parties it
// lists, with their names and a digest of each one's fields, and the keys of its links; the changes
// query compares two of these) is in the ReleasePart nodes load $seq wrote before it
// (ingest-release-parts), which this makes the release's. Arrays kept on the node by earlier versions
// go: the parts replace them. The parts of an earlier load of the same release go after the commit
// (release-parts-drop-stale).
MERGE (r:Release {id: $id})
SET r.dataset = $dataset, r.date = $release, r.partsLoad = toInteger($seq), r.entityCount = toInteger($parties),
    r.linkKeyCount = toInteger($linkKeys), r.loadedAt = toString(datetime())
REMOVE r.ids, r.names, r.digests, r.linkKeys
