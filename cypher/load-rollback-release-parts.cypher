// Rolling back a load: the parts of release snapshots it wrote (ingest-release-parts), which no
// release names yet. Few rows a transaction: each part holds thousands of ids, names and digests.
MATCH (p:ReleasePart {load: $seq})
CALL (p) { DELETE p } IN TRANSACTIONS OF 100 ROWS
